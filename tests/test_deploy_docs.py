"""The README's deployment section shows deploy/nginx.conf as it is, the file the scale-out test runs."""
import re
import textwrap

from core.config import PROJECT_ROOT


def test_the_readme_shows_the_nginx_configuration_the_test_runs():
    readme = (PROJECT_ROOT / "README.md").read_text()
    shown = re.findall(r"^( *)```nginx\n(.*?)^\1```", readme, re.S | re.M)
    assert len(shown) == 1, "one nginx configuration in the README"
    assert textwrap.dedent(shown[0][1]) == (PROJECT_ROOT / "deploy" / "nginx.conf").read_text()
