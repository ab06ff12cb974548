// The meeting-room player: plays the deck that ui/presenter_view.py builds.
//
// Time, not the data refresh, drives the playlist: each slide stays `rotate` seconds (split among
// its pages) on this browser's clock, and a data refresh only replaces the figures. The player
// lives on `window`, so a fragment refresh or a reconnect after an outage re-mounts the
// component without restarting the playlist or the reveal.
const MIN_ROW_TEXT_VH = 2.6; // the audience at the back reads 2.5% of the screen height
const ROW_LINE = 1.6; // row height / text size
const MAX_ROW_TEXT_VH = 4.4;
const HEALTH_EVERY_MS = 3000;
const NEXT_KEYS = ["PageDown", "ArrowRight", "ArrowDown", " ", "Spacebar"];
const PREVIOUS_KEYS = ["PageUp", "ArrowLeft", "ArrowUp"];
const PAUSE_KEYS = ["b", "B", "."];

function createPlayer() {
  const state = {
    deck: null, root: null, slide: 0, page: 0, pages: 1, wantLastPage: false,
    stepStart: performance.now(), pausedAt: null, revealed: 0, revealTotal: 0,
    offline: false, layoutKey: "",
  };

  function el(tag, cls, html) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (html !== undefined) node.innerHTML = html;
    return node;
  }

  function vh() { return window.innerHeight / 100; }

  function build(parent) {
    const root = el("div", "pr-screen");
    root.innerHTML = `
      <div class="pr-top"><span class="pr-brand"></span><span class="pr-status"></span></div>
      <div class="pr-heading"><span class="pr-title"></span><span class="pr-sub"></span></div>
      <div class="pr-notice"></div>
      <div class="pr-body"></div>
      <div class="pr-foot"><span class="pr-legend"></span><span class="pr-pager"></span><span class="pr-clock"></span></div>
      <div class="pr-progress"><div class="pr-progress-fill"></div></div>
      <div class="pr-offline" hidden></div>`;
    parent.appendChild(root);
    return root;
  }

  function $(selector) { return state.root.querySelector(selector); }

  function applyColours() {
    const colours = state.deck.colours;
    for (const [name, value] of Object.entries(colours)) state.root.style.setProperty(`--${name}`, value);
    state.root.dataset.theme = state.deck.theme;
    state.root.lang = state.deck.language === "zh" ? "zh-CN" : "en";
  }

  function currentSlide() {
    const slides = state.deck.slides;
    return slides[((state.slide % slides.length) + slides.length) % slides.length];
  }

  // ---- reveal (count down from the last place) ----
  function revealOrder(slide) {
    // Last place first: the rows from the bottom, then the podium's third, second and first.
    return [...slide.rows].reverse().concat([...slide.podium].reverse());
  }

  function loadReveal() {
    const stored = Number(window.sessionStorage.getItem(state.deck.revealKey));
    state.revealed = Number.isFinite(stored) ? stored : 0;
  }

  function saveReveal() {
    window.sessionStorage.setItem(state.deck.revealKey, String(state.revealed));
  }

  // ---- layout: rows sized by the screen's height and width, paged when too many ----
  function planRows(slide, gridHeight, columns) {
    const minRow = MIN_ROW_TEXT_VH * ROW_LINE * vh();
    const count = slide.rows.length;
    const perColumnMax = Math.max(1, Math.floor(gridHeight / minRow) - 1); // one line for the headings
    let perColumn = Math.max(1, Math.ceil(count / columns));
    let pages = 1;
    if (perColumn > perColumnMax) {
      pages = Math.ceil(count / (perColumnMax * columns));
      perColumn = Math.ceil(Math.ceil(count / pages) / columns);
    }
    const rowHeight = Math.min(gridHeight / (perColumn + 1), MAX_ROW_TEXT_VH * ROW_LINE * vh());
    const text = Math.max(MIN_ROW_TEXT_VH * vh(), Math.min(rowHeight / ROW_LINE, MAX_ROW_TEXT_VH * vh()));
    return { columns, perColumn, pages, rowHeight, text };
  }

  function columnsFor(width) {
    const ratio = width / window.innerHeight;
    return ratio >= 2.9 ? 3 : ratio >= 1.45 ? 2 : 1;
  }

  function renderRows(body, slide) {
    const reveal = state.deck.reveal;
    const hiddenUnits = new Set();
    if (reveal) {
      const order = revealOrder(slide);
      state.revealTotal = order.length;
      state.revealed = Math.max(0, Math.min(state.revealed, order.length));
      order.slice(state.revealed).forEach((html) => hiddenUnits.add(/data-unit="(\d+)"/.exec(html)[1]));
    }
    if (slide.podium.length) {
      const podium = el("div", "pr-podium");
      // Second, first, third from left to right.
      [1, 0, 2].forEach((index) => { if (slide.podium[index]) podium.insertAdjacentHTML("beforeend", slide.podium[index]); });
      body.appendChild(podium);
    }
    if (slide.note) body.appendChild(el("div", "pr-note", slide.note));
    if (!slide.rows.length) {
      // A group of three or fewer: the podium is the whole board, no empty table under it.
      body.querySelector(".pr-podium")?.classList.add("pr-podium-only");
      fitPodium(body);
      state.pages = 1;
      state.page = 0;
      state.wantLastPage = false;
      coverUnrevealed(body, hiddenUnits);
      return;
    }
    const grid = el("div", "pr-grid");
    body.appendChild(grid);
    const gridHeight = grid.clientHeight;
    let columns = columnsFor(grid.clientWidth);
    const wanted = state.page;
    let plan;
    for (;;) {
      plan = planRows(slide, gridHeight, columns);
      if (reveal) {
        // Show the page with the place revealed last (the bottom page before any is revealed).
        const count = slide.rows.length;
        const r = state.revealed;
        const index = r === 0 ? count - 1 : r > count ? 0 : count - r;
        state.page = Math.floor(Math.max(0, index) / (plan.perColumn * plan.columns));
      } else {
        state.page = state.wantLastPage ? plan.pages - 1 : Math.max(0, Math.min(wanted, plan.pages - 1));
      }
      fillGrid(grid, slide, plan);
      const tooWide = [...grid.querySelectorAll(".pr-name")].some((name) => name.scrollWidth > name.clientWidth + 1);
      if (!tooWide) break;
      if (columns > 1) { columns -= 1; continue; }
      // One column and a name still too long: smaller type, never under the legible minimum.
      let text = plan.text;
      while (text > MIN_ROW_TEXT_VH * vh() && [...grid.querySelectorAll(".pr-name")].some((n) => n.scrollWidth > n.clientWidth + 1)) {
        text = Math.max(MIN_ROW_TEXT_VH * vh(), text * 0.92);
        grid.style.setProperty("--row-text", `${text}px`);
      }
      break;
    }
    fitPodium(body);
    state.wantLastPage = false;
    state.pages = plan.pages;
    coverUnrevealed(body, hiddenUnits);
  }

  function coverUnrevealed(body, hiddenUnits) {
    body.querySelectorAll("[data-unit]").forEach((node) => {
      if (hiddenUnits.has(node.dataset.unit)) node.classList.add("pr-hidden");
    });
    if (state.deck.reveal) state.root.dataset.revealed = String(state.revealed);
  }

  function fitPodium(body) {
    // Long names take two lines; the podium's type shrinks until every step holds its content.
    const podium = body.querySelector(".pr-podium");
    if (!podium) return;
    let scale = Number(getComputedStyle(podium).getPropertyValue("--podium-scale")) || 1;
    const overflowing = () => [...podium.children].some((step) => step.scrollHeight > step.clientHeight + 1);
    while (scale > 0.55 && overflowing()) {
      scale *= 0.9;
      podium.style.setProperty("--podium-scale", String(scale));
    }
  }

  function fillGrid(grid, slide, plan) {
    grid.innerHTML = "";
    grid.style.setProperty("--row-h", `${plan.rowHeight}px`);
    grid.style.setProperty("--row-text", `${plan.text}px`);
    grid.style.setProperty("--head-text", `${Math.max(MIN_ROW_TEXT_VH * vh(), plan.text * 0.8)}px`);
    const perPage = plan.perColumn * plan.columns;
    const pageRows = slide.rows.slice(state.page * perPage, (state.page + 1) * perPage);
    for (let column = 0; column < plan.columns; column += 1) {
      const rows = pageRows.slice(column * plan.perColumn, (column + 1) * plan.perColumn);
      if (!rows.length && column > 0) break;
      const node = el("div", `pr-column pr-layout-${slide.layout}`, slide.head + rows.join(""));
      grid.appendChild(node);
    }
  }

  // ---- drawing ----
  function positions() {
    const found = new Map();
    state.root.querySelectorAll(".pr-body [data-unit]").forEach((node) => {
      found.set(node.dataset.unit, { rect: node.getBoundingClientRect(), rank: Number(node.dataset.rank) });
    });
    return found;
  }

  function animateMoves(before) {
    // FLIP: each row starts where it stood and slides to its new place; a rise also flashes.
    state.root.querySelectorAll(".pr-body [data-unit]").forEach((node) => {
      const old = before.get(node.dataset.unit);
      if (!old) return;
      const now = node.getBoundingClientRect();
      const dx = old.rect.left - now.left;
      const dy = old.rect.top - now.top;
      const rank = Number(node.dataset.rank);
      if (Number.isFinite(rank) && Number.isFinite(old.rank) && rank < old.rank) node.classList.add("pr-flash");
      if (Math.abs(dx) < 1 && Math.abs(dy) < 1) return;
      node.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: "translate(0, 0)" }],
        { duration: 1200, easing: "cubic-bezier(.2,.7,.2,1)" });
    });
  }

  function render({ moves = false, fade = false } = {}) {
    const deck = state.deck;
    const slide = currentSlide();
    const before = moves ? positions() : null;
    $(".pr-brand").innerHTML = deck.brand;
    $(".pr-status").innerHTML = deck.status;
    $(".pr-title").innerHTML = slide.title;
    $(".pr-sub").innerHTML = slide.subtitle;
    $(".pr-legend").innerHTML = slide.legend || "";
    const notice = $(".pr-notice");
    notice.innerHTML = deck.notice;
    notice.hidden = !deck.notice;
    const body = $(".pr-body");
    body.innerHTML = "";
    body.dataset.board = slide.board;
    body.dataset.kind = slide.kind;
    state.pages = 1;
    if (slide.kind === "rows") renderRows(body, slide);
    else body.innerHTML = slide.body;
    state.root.dataset.slide = String(((state.slide % deck.slides.length) + deck.slides.length) % deck.slides.length);
    state.root.dataset.slideId = slide.id;
    state.root.dataset.page = String(state.page);
    state.root.dataset.pages = String(state.pages);
    state.layoutKey = `${window.innerWidth}x${window.innerHeight}`;
    if (before) animateMoves(before);
    if (fade && deck.fade) body.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 700, easing: "ease-out" });
    drawPager();
  }

  function drawPager() {
    const deck = state.deck;
    const dots = deck.slides.map((_, index) => (index === Number(state.root.dataset.slide) ? "●" : "○")).join(" ");
    const page = state.pages > 1 ? ` · ${deck.labels.page.replace("{page}", state.page + 1).replace("{pages}", state.pages)}` : "";
    const paused = state.pausedAt !== null ? `${deck.labels.paused} · ` : "";
    const revealed = deck.reveal ? `${deck.labels.revealed.replace("{count}", state.revealed).replace("{total}", state.revealTotal)}` : "";
    $(".pr-pager").textContent = deck.reveal ? revealed + page : paused + (deck.slides.length > 1 ? dots : "") + page;
    state.root.dataset.paused = state.pausedAt !== null ? "true" : "false";
  }

  // ---- moving through the playlist ----
  function restartClock() {
    state.stepStart = performance.now();
    if (state.pausedAt !== null) state.pausedAt = state.stepStart;
  }

  function step(direction) {
    if (state.deck.reveal) {
      state.revealed = Math.max(0, Math.min(state.revealTotal, state.revealed + direction));
      saveReveal();
      render();
      return;
    }
    if (direction > 0) {
      if (state.page + 1 < state.pages) state.page += 1;
      else { state.slide += 1; state.page = 0; }
    } else if (state.page > 0) {
      state.page -= 1;
    } else {
      state.slide -= 1;
      state.wantLastPage = true;
    }
    restartClock();
    render({ fade: true });
  }

  function togglePause() {
    if (state.pausedAt === null) state.pausedAt = performance.now();
    else { state.stepStart += performance.now() - state.pausedAt; state.pausedAt = null; }
    drawPager();
  }

  function onKey(event) {
    if (!state.deck || !state.root || !state.root.isConnected) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (NEXT_KEYS.includes(event.key)) step(1);
    else if (PREVIOUS_KEYS.includes(event.key)) step(-1);
    else if (PAUSE_KEYS.includes(event.key) && !state.deck.reveal) togglePause();
    else return;
    event.preventDefault();
  }

  function tick() {
    if (state.deck && state.root && state.root.isConnected) {
      const now = performance.now();
      const stepSeconds = state.deck.rotate / Math.max(1, state.pages);
      const elapsed = ((state.pausedAt ?? now) - state.stepStart) / 1000;
      if (!state.deck.reveal && elapsed >= stepSeconds) step(1);
      const share = state.deck.reveal ? 0 : Math.min(1, elapsed / stepSeconds);
      $(".pr-progress-fill").style.width = `${(share * 100).toFixed(2)}%`;
      $(".pr-clock").textContent = new Intl.DateTimeFormat(state.deck.language === "zh" ? "zh-CN" : "en-GB",
        { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: state.deck.zone }).format(new Date());
      if (state.layoutKey !== `${window.innerWidth}x${window.innerHeight}`) render();
    }
    window.setTimeout(() => window.requestAnimationFrame(tick), 250);
  }

  // ---- outages: the last board stays, with a badge in the screen's language ----
  async function checkServer() {
    const healthUrl = new URL("_stcore/health", window.location.href);
    let reachable;
    try {
      const answer = await fetch(healthUrl, { cache: "no-store", signal: AbortSignal.timeout(2500) });
      reachable = answer.ok;
    } catch {
      reachable = false;
    }
    if (state.root) {
      state.offline = !reachable;
      const badge = $(".pr-offline");
      badge.textContent = state.deck.labels.reconnecting;
      badge.hidden = reachable;
      state.root.dataset.offline = String(!reachable);
    }
    window.setTimeout(checkServer, HEALTH_EVERY_MS);
  }

  function mount(parent, deck) {
    const first = state.deck === null;
    const previous = state.deck;
    const sameSlides = previous && previous.slides.map((s) => s.id).join("|") === deck.slides.map((s) => s.id).join("|");
    if (previous && !sameSlides) {
      // The playlist changed (a group or board added): stay on the same slide if it is still there.
      const currentId = currentSlide().id;
      const found = deck.slides.findIndex((slide) => slide.id === currentId);
      state.slide = found >= 0 ? found : 0;
      state.page = 0;
    }
    state.deck = deck;
    if (!state.root) state.root = build(parent);
    else if (state.root.parentNode !== parent) parent.appendChild(state.root);
    applyColours();
    if (first || previous.revealKey !== deck.revealKey) loadReveal();
    if (first) {
      document.addEventListener("keydown", onKey, true);
      window.requestAnimationFrame(tick);
      checkServer();
    }
    render({ moves: Boolean(sameSlides) });
    // The projector's wrapper page (static/presenter.html) keeps this page invisible until then.
    document.documentElement.dataset.presenter = "drawn";
  }

  return { mount };
}

export default function (component) {
  const { data, parentElement } = component;
  const player = (window.__ebPresenter = window.__ebPresenter || createPlayer());
  player.mount(parentElement, JSON.parse(data));
}
