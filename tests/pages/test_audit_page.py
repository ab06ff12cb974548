"""操作日志 under AppTest: the office reads the demo's trail (who may read it: tests/db/test_audit_log.py)."""
from tests.pages.apptest import open_app, page_texts


def test_the_office_reads_the_trail_newest_first_in_its_time_zone(accounts):
    at = open_app(accounts["admin"], "views/audit.py")
    assert at.title[0].value == "操作日志"
    assert "Asia/Shanghai" in page_texts(at)
    table = at.dataframe[0].value
    assert list(table.columns) == ["时间", "操作人", "操作", "对象", "编号", "详情"]
    assert len(table) > 0
    assert "登录成功" in set(table["操作"])  # the fixture's sign-ins are in the trail
    at.selectbox(key="audit_action").set_value("signin.ok").run()
    assert set(at.dataframe[0].value["操作"]) == {"登录成功"}

