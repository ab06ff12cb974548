"""The projector's address (the wrapper page): no white frame and no Streamlit chrome on load."""
import pytest
from playwright.sync_api import expect

from ui.presenter_view import THEME_COLOURS

# Records, on every animation frame of the top page from its very first one, the colour the
# audience sees: the wrapper's own background while the frame is invisible, else the frame's
# screen (the player, or Streamlit's page if the frame were shown too early). A transparent page
# shows the browser's white canvas, so it counts as white.
SAMPLER = """
(() => {
  if (window.top !== window) return;
  window.__seen = [];
  const WHITE = "rgb(255, 255, 255)";
  // The player lives in a component's shadow root.
  const findScreen = (root) => {
    const found = root.querySelector(".pr-screen");
    if (found) return found;
    for (const node of root.querySelectorAll("*")) {
      const inside = node.shadowRoot && findScreen(node.shadowRoot);
      if (inside) return inside;
    }
    return null;
  };
  const colour = (doc) => {
    const element = findScreen(doc) || doc.body || doc.documentElement;
    for (const node of [element, doc.documentElement]) {
      if (!node) continue;
      const value = getComputedStyle(node).backgroundColor;
      if (value && value !== "rgba(0, 0, 0, 0)") return value;
    }
    return WHITE;
  };
  const sample = () => {
    const frame = document.querySelector("iframe");
    let seen = colour(document);
    if (frame && Number(getComputedStyle(frame).opacity) > 0) {
      let inner = null;
      try { inner = frame.contentDocument; } catch (error) { inner = null; }
      seen = inner ? colour(inner) : WHITE;
    }
    window.__seen.push(seen);
    if (window.__seen.length < 600) requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
})();
"""


def _rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_projector_shows_only_the_theme_colour_until_the_player_and_a_clicker_drives_it(app_server, new_page, theme):
    page = new_page()
    page.add_init_script(SAMPLER)
    page.goto(f"{app_server.url}/app/static/presenter.html?play=1&boards=leaderboard,counts&rotate=600&theme={theme}"
              f"&embed=true{'&embed_options=dark_theme' if theme == 'dark' else ''}", wait_until="commit")
    screen = page.frame_locator("iframe")
    title = screen.locator(".pr-title")
    expect(title).to_be_visible(timeout=30_000)
    expect(page.locator("iframe")).to_have_css("opacity", "1")
    seen = page.evaluate("window.__seen")
    assert len(seen) > 10, "the sampler ran from the first frames"
    assert set(seen) == {_rgb(THEME_COLOURS[theme]["bg"])}, f"colours seen while loading: {sorted(set(seen))}"
    # No Streamlit chrome shows: at each corner and the centre the topmost element is the player's.
    covered = page.locator("iframe").content_frame.locator("html").evaluate("""() => [[2, 2], [innerWidth - 3, 2],
        [innerWidth / 2, innerHeight / 2], [2, innerHeight - 3], [innerWidth - 3, innerHeight - 3]].map(([x, y]) => {
          const top = document.elementFromPoint(x, y);
          const inner = top?.shadowRoot ? top.shadowRoot.elementFromPoint(x, y) : top;
          return Boolean(inner?.closest(".pr-screen"));
        })""")
    assert covered == [True] * 5

    # The focus is in the frame: a clicker's PageDown turns the slide, PageUp turns it back.
    first = title.inner_text()
    page.keyboard.press("PageDown")
    expect(title).not_to_have_text(first)
    page.keyboard.press("PageUp")
    expect(title).to_have_text(first)
    # A key pressed while the wrapper itself has the focus still reaches the player.
    page.evaluate("document.activeElement.blur(); window.focus()")
    page.keyboard.press("PageDown")
    expect(title).not_to_have_text(first)
