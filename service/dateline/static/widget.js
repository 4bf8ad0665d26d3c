/*!
 * Dateline timeline widget. Plain JavaScript, no dependencies, no build step.
 *
 * Embed:
 *   <div data-dateline="https://host/v1/timeline?actor=North%20Korea"></div>
 *   <script src="https://host/widget.js"></script>
 *
 * Every [data-dateline] element becomes a timeline of the API URL it names. Options (attributes of that
 * element): data-dateline-refresh="60" (re-check every 60 s with a conditional request),
 * data-dateline-prefix="tl-" (prefix of the filter parameters kept in the page URL; the first widget
 * of a prefix keeps them, "none" keeps nothing), data-dateline-max="5000" (most events loaded).
 * The stylesheet is added from the script's own origin unless the page already has it.
 * window.Dateline.mount(element, url) mounts one by hand; window.Dateline.scan() finds new elements.
 * Events dispatched on the element: dateline:load, dateline:render, dateline:error.
 *
 * Source text is only ever inserted as text (createTextNode / textContent), never parsed as HTML.
 */
(function () {
  "use strict";

  if (window.Dateline && window.Dateline.version) {
    window.Dateline.scan();
    return;
  }

  var VERSION = "1";
  var script = document.currentScript;
  var ASSET_BASE = new URL(".", (script && script.src) || document.baseURI).href;

  /** Filter parameters the widget edits (and keeps in the page URL). */
  var FILTER_KEYS = ["from", "to", "actor", "type", "q", "sort"];
  var MULTI_KEYS = { actor: true, type: true };
  var PARTIAL_ISO = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
  var MAX_PAGES = 50;
  var FIRST_CHUNK = 60;
  var CHUNK = 250;
  var CACHE_SIZE = 40;
  /** Above this many events, rows out of view are neither laid out nor painted (content-visibility). */
  var MANY = 150;

  var TYPES = {
    agreement: ["Agreement", "#009e73"],
    visit: ["Visit", "#0072b2"],
    meeting: ["Meeting", "#56b4e9"],
    deployment: ["Deployment", "#e69f00"],
    combat: ["Combat", "#d55e00"],
    arms_transfer: ["Arms transfer", "#cc79a7"],
    statement: ["Statement", "#6a5acd"],
    sanction: ["Sanction", "#8b5a2b"],
    election: ["Election", "#c9a400"],
    disaster: ["Disaster", "#b22222"],
    other: ["Other", "#7a7a7a"],
  };
  var TYPE_ORDER = Object.keys(TYPES);

  /** TIMEX3 modifiers that make a date uncertain: [symbol, words]. START/MID/END only narrow a period
   * ("late 1980s") and are already in date.display. */
  var UNCERTAIN = {
    APPROX: ["≈", "approximate date"],
    BEFORE: ["<", "before this date"],
    AFTER: [">", "after this date"],
    ON_OR_BEFORE: ["≤", "on or before this date"],
    ON_OR_AFTER: ["≥", "on or after this date"],
    LESS_THAN: ["<", "less than this"],
    MORE_THAN: [">", "more than this"],
    EQUAL_OR_LESS: ["≤", "at most this"],
    EQUAL_OR_MORE: ["≥", "at least this"],
  };
  var MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ];
  var SEASONS = { SP: "spring", SU: "summer", FA: "autumn", WI: "winter" };
  var MOD_WORDS = { START: "early", MID: "mid", END: "late", APPROX: "about" };
  var BASIS = {
    given: "",
    stated: "date stated in the article",
    inferred: "date inferred",
    unknown: "",
  };

  var uid = 0;
  var claimedPrefixes = {};

  // --- small helpers ------------------------------------------------------------------------------

  /** Build an element: attrs are set as attributes (or properties for on*, className, hidden), children
   * are nodes or strings (inserted as text). */
  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
        var value = attrs[key];
        if (value === null || value === undefined || value === false) continue;
        if (key === "className") node.className = value;
        else if (key === "text") node.textContent = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else if (typeof child === "string" || typeof child === "number") node.appendChild(document.createTextNode(String(child)));
    else node.appendChild(child);
  }

  function typeInfo(type) {
    var known = TYPES[type];
    if (known) return { label: known[0], colour: known[1], key: type };
    var label = String(type || "other").replace(/_/g, " ");
    return { label: label.charAt(0).toUpperCase() + label.slice(1), colour: TYPES.other[1], key: "other" };
  }

  function plural(n, one, many) {
    return n.toLocaleString("en") + " " + (n === 1 ? one : many);
  }

  /** "2024-06-19" -> "19 June 2024" (no Date objects: no time zone surprises). */
  function formatDay(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return iso || "";
    return parseInt(m[3], 10) + " " + MONTHS[parseInt(m[2], 10) - 1] + " " + m[1];
  }

  /** A reader's form of a date value at its precision (the API's date.display, for alternatives). */
  function formatDateValue(d) {
    var v = d.value || "";
    var text;
    switch (d.precision) {
      case "day": text = formatDay(d.start || v); break;
      case "week": text = "week " + parseInt(v.slice(6, 8), 10) + " of " + v.slice(0, 4); break;
      case "month": text = MONTHS[parseInt(v.slice(5, 7), 10) - 1] + " " + v.slice(0, 4); break;
      case "season": text = (SEASONS[v.slice(5)] || v.slice(5)) + " " + v.slice(0, 4); break;
      case "quarter": text = "Q" + v.charAt(6) + " " + v.slice(0, 4); break;
      case "half": text = (v.charAt(6) === "1" ? "first" : "second") + " half of " + v.slice(0, 4); break;
      case "year": text = v; break;
      case "decade": text = "the " + v + "0s"; break;
      case "century":
        var n = parseInt(v, 10) + 1;
        var suffix = n % 100 >= 10 && n % 100 <= 20 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" })[n % 10] || "th";
        text = "the " + n + suffix + " century";
        break;
      default: text = v;
    }
    var word = MOD_WORDS[d.modifier || ""];
    if (!word) return text;
    if (text.indexOf("the ") === 0) return "the " + word + " " + text.slice(4);
    return word === "mid" ? word + "-" + text : word + " " + text;
  }

  /** Days since 1970-01-01 of an ISO day (UTC arithmetic). */
  function dayNumber(iso) {
    var m = /^(-?\d{1,6})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return NaN;
    return Date.UTC(+m[1], +m[2] - 1, +m[3]) / 864e5;
  }

  function safeHttpUrl(raw, base) {
    if (!raw) return null;
    try {
      var url = new URL(raw, base || document.baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Python offsets count code points; JavaScript strings count UTF-16 units. */
  function codePoints(text) {
    return Array.from(text || "");
  }

  /** The quote as [text, kind] segments: kind "date" for the date expression, "trigger" for the
   * event's word, "" otherwise. Returns the segments and whether the date lies in the quote. */
  function quoteSegments(source) {
    var chars = codePoints(source.quote);
    var base = source.start;
    var spans = [];
    var dateInQuote = false;
    var ds = source.date_start - base;
    var de = source.date_end - base;
    if (ds >= 0 && de <= chars.length && de > ds) {
      if (chars.slice(ds, de).join("") === source.date_text) {
        spans.push([ds, de, "date"]);
        dateInQuote = true;
      }
    }
    if (!dateInQuote && source.date_text && source.date_start >= source.start && source.date_end <= source.end) {
      // offsets disagree with the text (should not happen): fall back to the first occurrence
      var at = codePoints(source.quote.slice(0, Math.max(0, source.quote.indexOf(source.date_text)))).length;
      if (source.quote.indexOf(source.date_text) >= 0) {
        spans.push([at, at + codePoints(source.date_text).length, "date"]);
        dateInQuote = true;
      }
    }
    var trig = source.trigger;
    if (trig && typeof trig.start === "number") {
      var ts = trig.start - base;
      var te = trig.end - base;
      var overlaps = spans.some(function (s) { return ts < s[1] && te > s[0]; });
      if (ts >= 0 && te <= chars.length && te > ts && !overlaps) spans.push([ts, te, "trigger"]);
    }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    var pos = 0;
    spans.forEach(function (s) {
      if (s[0] > pos) out.push([chars.slice(pos, s[0]).join(""), ""]);
      out.push([chars.slice(s[0], s[1]).join(""), s[2]]);
      pos = s[1];
    });
    if (pos < chars.length) out.push([chars.slice(pos).join(""), ""]);
    return { segments: out, dateInQuote: dateInQuote };
  }

  function parseLinkNext(header) {
    if (!header) return null;
    var parts = header.split(",");
    for (var i = 0; i < parts.length; i++) {
      var m = /<([^>]*)>\s*;(.*)$/.exec(parts[i].trim());
      if (m && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2])) return m[1];
    }
    return null;
  }

  function ApiError(kind, message, detail, status) {
    this.kind = kind; // "network" | "problem" | "http" | "format"
    this.message = message;
    this.detail = detail || "";
    this.status = status || 0;
  }

  function debounce(fn, ms) {
    var timer = null;
    var wrapped = function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
    wrapped.cancel = function () { clearTimeout(timer); };
    return wrapped;
  }

  function nextFrame(fn) {
    if (document.visibilityState === "hidden") setTimeout(fn, 0);
    else requestAnimationFrame(fn);
  }

  function ensureStylesheet() {
    var href = new URL("widget.css", ASSET_BASE).href;
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].hasAttribute("data-dateline-css") || links[i].href === href) return;
    }
    var link = h("link", { rel: "stylesheet", href: href, "data-dateline-css": "" });
    (document.head || document.documentElement).appendChild(link);
  }

  // --- the widget ---------------------------------------------------------------------------------

  function Timeline(root, apiUrl) {
    this.root = root;
    this.id = "dl" + ++uid;
    this.api = new URL(apiUrl, document.baseURI);
    this.cache = new Map(); // request URL -> {etag, data}
    this.events = [];
    this.total = 0;
    this.knownActors = new Set();
    this.activeIndex = 0;
    this.loadSeq = 0;
    this.renderSeq = 0;
    this.controller = null;
    this.shownKey = null;
    this.maxEvents = parseInt(root.getAttribute("data-dateline-max") || "5000", 10) || 5000;

    // the API URL's filter parameters are the initial filters; the others are fixed
    this.fixed = new URLSearchParams();
    this.defaults = emptyState();
    var self = this;
    this.api.searchParams.forEach(function (value, key) {
      if (key === "cursor") return;
      if (FILTER_KEYS.indexOf(key) >= 0) addToState(self.defaults, key, value);
      else self.fixed.append(key, value);
    });
    this.api.search = "";

    var prefix = root.getAttribute("data-dateline-prefix") || "";
    this.prefix = null;
    if (prefix !== "none" && !claimedPrefixes[prefix]) {
      claimedPrefixes[prefix] = true;
      this.prefix = prefix;
    }
    this.state = this.readPageState() || cloneState(this.defaults);

    this.build();
    this.syncForm();
    this.load(false);

    var every = parseFloat(root.getAttribute("data-dateline-refresh") || "0");
    if (every > 0) {
      setInterval(function () {
        if (document.visibilityState !== "hidden" && self.root.getAttribute("data-state") !== "loading") {
          self.load(true, true);
        }
      }, Math.max(5, every) * 1000);
    }
  }

  function emptyState() {
    return { from: "", to: "", actor: [], type: [], q: "", sort: "" };
  }

  function cloneState(s) {
    return { from: s.from, to: s.to, actor: s.actor.slice(), type: s.type.slice(), q: s.q, sort: s.sort };
  }

  function addToState(state, key, value) {
    if (MULTI_KEYS[key]) {
      if (value && state[key].indexOf(value) < 0) state[key].push(value);
    } else {
      state[key] = value;
    }
  }

  function stateValues(state, key) {
    var v = state[key];
    return MULTI_KEYS[key] ? v : v ? [v] : [];
  }

  function sameState(a, b) {
    return FILTER_KEYS.every(function (k) {
      return stateValues(a, k).join("\u0000") === stateValues(b, k).join("\u0000");
    });
  }

  Timeline.prototype.readPageState = function () {
    if (this.prefix === null) return null;
    var params = new URLSearchParams(location.search);
    var prefix = this.prefix;
    var present = FILTER_KEYS.some(function (k) { return params.has(prefix + k); });
    if (!present) return null;
    var state = emptyState();
    FILTER_KEYS.forEach(function (k) {
      params.getAll(prefix + k).forEach(function (v) { addToState(state, k, v.trim()); });
    });
    return state;
  };

  Timeline.prototype.writePageState = function () {
    if (this.prefix === null || !window.history || !history.replaceState) return;
    var url = new URL(location.href);
    var prefix = this.prefix;
    var state = this.state;
    var defaults = this.defaults;
    FILTER_KEYS.forEach(function (k) { url.searchParams.delete(prefix + k); });
    if (!sameState(state, defaults)) {
      FILTER_KEYS.forEach(function (k) {
        var values = stateValues(state, k);
        if (values.length) values.forEach(function (v) { url.searchParams.append(prefix + k, v); });
        else if (stateValues(defaults, k).length) url.searchParams.append(prefix + k, "");
      });
    }
    if (url.href !== location.href) history.replaceState(history.state, "", url.href);
  };

  Timeline.prototype.requestUrl = function () {
    var url = new URL(this.api.href);
    this.fixed.forEach(function (value, key) { url.searchParams.append(key, value); });
    var state = this.state;
    FILTER_KEYS.forEach(function (k) {
      stateValues(state, k).forEach(function (v) { url.searchParams.append(k, v); });
    });
    return url.href;
  };

  // --- DOM ----------------------------------------------------------------------------------------

  Timeline.prototype.build = function () {
    var self = this;
    var id = this.id;
    var root = this.root;
    root.classList.add("dl-root");
    root.setAttribute("data-state", "loading");
    root.replaceChildren();

    this.status = h("p", { className: "dl-status", role: "status", "aria-live": "polite" }, "Loading the timeline…");
    this.message = h("div", { className: "dl-message", role: "alert", hidden: true });

    // filters
    this.qInput = h("input", {
      type: "search", id: id + "-q", name: "q", className: "dl-input", autocomplete: "off",
      placeholder: "Words in titles or quotes",
    });
    this.fromInput = h("input", {
      type: "text", id: id + "-from", name: "from", className: "dl-input", inputmode: "numeric",
      placeholder: "YYYY[-MM[-DD]]", autocomplete: "off", "aria-describedby": id + "-date-help",
      size: "11",
    });
    this.toInput = h("input", {
      type: "text", id: id + "-to", name: "to", className: "dl-input", inputmode: "numeric",
      placeholder: "YYYY[-MM[-DD]]", autocomplete: "off", "aria-describedby": id + "-date-help",
      size: "11",
    });
    this.actorList = h("datalist", { id: id + "-actors" });
    this.actorInput = h("input", {
      type: "text", id: id + "-actor", name: "actor", className: "dl-input", list: id + "-actors",
      autocomplete: "off", placeholder: "Add an actor",
    });
    this.actorChips = h("ul", { className: "dl-chips", "aria-label": "Selected actors" });
    this.sortSelect = h(
      "select", { id: id + "-sort", name: "sort", className: "dl-input" },
      h("option", { value: "" }, "Oldest first"),
      h("option", { value: "desc" }, "Newest first")
    );
    this.typeButtons = {};
    var typeGroup = h("div", { className: "dl-types", role: "group", "aria-labelledby": id + "-types-label" });
    TYPE_ORDER.forEach(function (type) {
      var info = typeInfo(type);
      var button = h(
        "button",
        {
          type: "button", className: "dl-type-toggle dl-type-" + type, "aria-pressed": "false",
          "data-type": type,
          onclick: function () { self.toggleType(type); },
        },
        h("span", { className: "dl-swatch", "aria-hidden": "true" }),
        info.label
      );
      self.typeButtons[type] = button;
      typeGroup.appendChild(button);
    });
    this.dateHelp = h("p", { id: id + "-date-help", className: "dl-help" }, "Dates: 2024, 2024-06 or 2024-06-19.");
    this.filterCount = h("span", { className: "dl-filter-count" });

    var form = h(
      "form",
      { className: "dl-filters", role: "search", "aria-label": "Filter the timeline", novalidate: true },
      h("div", { className: "dl-field dl-field-q" }, h("label", { for: id + "-q" }, "Text"), this.qInput),
      h("div", { className: "dl-field" }, h("label", { for: id + "-from" }, "From"), this.fromInput),
      h("div", { className: "dl-field" }, h("label", { for: id + "-to" }, "To"), this.toInput),
      h(
        "div", { className: "dl-field dl-field-actor" },
        h("label", { for: id + "-actor" }, "Actor"),
        h("div", { className: "dl-actor-row" }, this.actorInput,
          h("button", { type: "button", className: "dl-button", onclick: function () { self.addActor(); } }, "Add")),
        this.actorList
      ),
      h("div", { className: "dl-field" }, h("label", { for: id + "-sort" }, "Order"), this.sortSelect),
      this.actorChips,
      h(
        "div", { className: "dl-field dl-field-types" },
        h("span", { id: id + "-types-label", className: "dl-label" }, "Types (none selected: all)"),
        typeGroup
      ),
      this.dateHelp,
      h(
        "div", { className: "dl-actions" },
        h("button", { type: "submit", className: "dl-button dl-apply" }, "Apply"),
        h("button", { type: "button", className: "dl-button dl-clear", onclick: function () { self.clearFilters(); } }, "Clear filters"),
        h("button", { type: "button", className: "dl-button dl-refresh", onclick: function () { self.load(true); } }, "Refresh")
      )
    );
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.applyForm();
    });
    var applySoon = debounce(function () { self.applyForm(); }, 350);
    this.applySoon = applySoon;
    this.qInput.addEventListener("input", applySoon);
    [this.fromInput, this.toInput].forEach(function (input) {
      input.addEventListener("change", function () { self.applyForm(); });
      input.addEventListener("input", function () {
        var value = input.value.trim();
        if (!value || PARTIAL_ISO.test(value)) self.markDate(input, true);
      });
    });
    this.sortSelect.addEventListener("change", function () { self.applyForm(); });
    this.actorInput.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        self.addActor();
      }
    });
    this.actorInput.addEventListener("change", function () {
      if (self.knownActors.has(self.actorInput.value.trim())) self.addActor();
    });

    this.filters = h(
      "details", { className: "dl-filter-panel" },
      h("summary", { className: "dl-summary" }, "Filters", this.filterCount),
      form
    );
    if ((root.clientWidth || window.innerWidth) >= 600) this.filters.open = true;

    // time axis
    this.canvas = h("canvas", { className: "dl-canvas", role: "img", "aria-label": "Time axis" });
    this.axis = h("div", { className: "dl-axis", hidden: true }, this.canvas);
    this.canvas.addEventListener("click", function (e) { self.axisClick(e); });
    this.canvas.addEventListener("mousemove", function (e) { self.axisHover(e); });

    // list
    this.list = h("ul", { className: "dl-list", role: "list", "aria-label": "Events", "aria-busy": "true" });
    this.list.addEventListener("keydown", function (e) { self.listKey(e); });
    this.list.addEventListener("click", function (e) {
      var item = e.target.closest ? e.target.closest(".dl-event") : null;
      if (item && self.list.contains(item)) self.open(+item.getAttribute("data-index"));
    });
    this.list.addEventListener("focusin", function (e) {
      var item = e.target.closest ? e.target.closest(".dl-event") : null;
      if (item) self.setActive(+item.getAttribute("data-index"), false);
    });
    this.empty = h("p", { className: "dl-empty", hidden: true }, "No events match these filters.");

    // sources dialog
    this.dialogTitle = h("h2", { id: id + "-dialog-title", className: "dl-dialog-title" });
    this.dialogBody = h("div", { className: "dl-dialog-body" });
    this.dialog = h(
      "dialog",
      { className: "dl-dialog", "aria-labelledby": id + "-dialog-title" },
      h(
        "div", { className: "dl-dialog-inner" },
        h("div", { className: "dl-dialog-head" }, this.dialogTitle,
          h("button", { type: "button", className: "dl-close", "aria-label": "Close sources", onclick: function () { self.close(); } }, "×")),
        this.dialogBody
      )
    );
    this.dialog.addEventListener("click", function (e) {
      if (e.target === self.dialog) self.close(); // a click on the backdrop
    });
    this.dialog.addEventListener("close", function () { self.afterClose(); });

    root.append(
      h("div", { className: "dl-head" }, this.status),
      this.filters, this.message, this.axis, this.list, this.empty, this.dialog
    );

    if (window.ResizeObserver) {
      var lastWidth = 0;
      new ResizeObserver(function () {
        var width = self.axis.clientWidth;
        if (width !== lastWidth) {
          lastWidth = width;
          nextFrame(function () { self.drawAxis(); });
        }
      }).observe(this.axis);
    } else {
      window.addEventListener("resize", function () { self.drawAxis(); });
    }
  };

  Timeline.prototype.syncForm = function () {
    var s = this.state;
    this.qInput.value = s.q;
    this.fromInput.value = s.from;
    this.toInput.value = s.to;
    this.sortSelect.value = s.sort === "desc" ? "desc" : "";
    var self = this;
    TYPE_ORDER.forEach(function (type) {
      self.typeButtons[type].setAttribute("aria-pressed", s.type.indexOf(type) >= 0 ? "true" : "false");
    });
    this.actorChips.replaceChildren();
    s.actor.forEach(function (actor) {
      self.actorChips.appendChild(
        h("li", { className: "dl-chip" }, actor,
          h("button", {
            type: "button", className: "dl-chip-remove", "aria-label": "Remove actor " + actor,
            onclick: function () { self.removeActor(actor); },
          }, "×"))
      );
    });
    var active = (s.q ? 1 : 0) + (s.from ? 1 : 0) + (s.to ? 1 : 0) + s.actor.length + s.type.length;
    this.filterCount.textContent = active ? " (" + active + " active)" : "";
  };

  Timeline.prototype.markDate = function (input, ok) {
    if (ok) input.removeAttribute("aria-invalid");
    else input.setAttribute("aria-invalid", "true");
    var bad = this.fromInput.getAttribute("aria-invalid") || this.toInput.getAttribute("aria-invalid");
    this.dateHelp.classList.toggle("dl-help-error", !!bad);
    this.dateHelp.textContent = bad
      ? "Use a date like 2024, 2024-06 or 2024-06-19."
      : "Dates: 2024, 2024-06 or 2024-06-19.";
  };

  Timeline.prototype.applyForm = function () {
    this.applySoon.cancel();
    var from = this.fromInput.value.trim();
    var to = this.toInput.value.trim();
    var fromOk = !from || PARTIAL_ISO.test(from);
    var toOk = !to || PARTIAL_ISO.test(to);
    this.markDate(this.fromInput, fromOk);
    this.markDate(this.toInput, toOk);
    if (!fromOk || !toOk) return;
    var next = cloneState(this.state);
    next.q = this.qInput.value.trim();
    next.from = from;
    next.to = to;
    next.sort = this.sortSelect.value;
    this.setState(next);
  };

  Timeline.prototype.setState = function (next) {
    if (sameState(next, this.state)) return;
    this.state = next;
    this.syncForm();
    this.writePageState();
    this.load(false);
  };

  Timeline.prototype.toggleType = function (type) {
    var next = cloneState(this.state);
    var at = next.type.indexOf(type);
    if (at >= 0) next.type.splice(at, 1);
    else next.type.push(type);
    this.setState(next);
  };

  Timeline.prototype.addActor = function () {
    var actor = this.actorInput.value.trim();
    if (!actor) return;
    this.actorInput.value = "";
    var next = cloneState(this.state);
    addToState(next, "actor", actor);
    this.setState(next);
  };

  Timeline.prototype.removeActor = function (actor) {
    var next = cloneState(this.state);
    next.actor = next.actor.filter(function (a) { return a !== actor; });
    this.setState(next);
    this.actorInput.focus();
  };

  Timeline.prototype.clearFilters = function () {
    this.markDate(this.fromInput, true);
    this.markDate(this.toInput, true);
    this.setState(emptyState());
  };

  // --- loading ------------------------------------------------------------------------------------

  /** One page, conditionally: a 304 answers with the cached body. */
  Timeline.prototype.fetchPage = function (url, signal, unconditional) {
    var cached = unconditional || this.noConditional ? null : this.cache.get(url);
    var headers = { Accept: "application/json, application/problem+json" };
    if (cached && cached.etag) headers["If-None-Match"] = cached.etag;
    var self = this;
    return fetch(url, { headers: headers, cache: "no-store", credentials: "omit", signal: signal }).then(
      function (res) {
        if (res.status === 304 && cached) {
          self.cache.delete(url);
          self.cache.set(url, cached);
          return { data: cached.data, etag: cached.etag, notModified: true, next: cached.next };
        }
        var type = (res.headers.get("Content-Type") || "").toLowerCase();
        if (!res.ok) {
          if (type.indexOf("json") >= 0) {
            return res.json().then(
              function (body) {
                var title = (body && body.title) || res.statusText || "Error";
                throw new ApiError("problem", title, (body && body.detail) || "", res.status);
              },
              function () {
                throw new ApiError("http", res.statusText || "Error", "", res.status);
              }
            );
          }
          throw new ApiError("http", res.statusText || "Error", "", res.status);
        }
        return res.json().then(
          function (data) {
            if (!data || !Array.isArray(data.events)) {
              throw new ApiError("format", "Unexpected response", "The answer has no events list.", res.status);
            }
            var etag = res.headers.get("ETag");
            var next = parseLinkNext(res.headers.get("Link"));
            if (etag) {
              self.cache.delete(url);
              self.cache.set(url, { etag: etag, data: data, next: next });
              while (self.cache.size > CACHE_SIZE) self.cache.delete(self.cache.keys().next().value);
            }
            return { data: data, etag: etag, notModified: false, next: next };
          },
          function () {
            throw new ApiError("format", "Unexpected response", "The answer is not JSON.", res.status);
          }
        );
      },
      function (err) {
        if (err && err.name === "AbortError") throw err;
        if (headers["If-None-Match"]) {
          // a cross-origin API whose CORS set-up does not allow If-None-Match: ask plainly instead
          return self.fetchPage(url, signal, true).then(function (page) {
            self.noConditional = true;
            return page;
          });
        }
        throw new ApiError("network", "Unreachable", "", 0);
      }
    );
  };

  /** The next page's URL from the Link header or the body's "next" (a URL or a cursor). */
  Timeline.prototype.nextUrl = function (page, current) {
    var next = page.next;
    if (next) return new URL(next, current).href;
    var body = page.data.next;
    if (!body || typeof body !== "string") return null;
    if (/^(https?:)?\/\//i.test(body) || body.charAt(0) === "/" || body.charAt(0) === "?") {
      return new URL(body, current).href;
    }
    var url = new URL(current);
    url.searchParams.set("cursor", body);
    return url.href;
  };

  /** Fetch the timeline for the current filters, every page of it; isRefresh: a conditional re-check
   * of what is shown; quiet: a timed one, announced only when something changed. */
  Timeline.prototype.load = function (isRefresh, quiet) {
    var self = this;
    var seq = ++this.loadSeq;
    if (this.controller) this.controller.abort();
    var controller = window.AbortController ? new AbortController() : null;
    this.controller = controller;
    var signal = controller ? controller.signal : undefined;
    var first = this.requestUrl();
    var events = [];
    var etags = [];
    var total = null;
    var allNotModified = true;
    var pages = 0;

    if (!quiet) {
      this.root.setAttribute("data-state", "loading");
      this.list.setAttribute("aria-busy", "true");
      this.status.textContent = isRefresh ? "Checking for updates…" : "Loading the timeline…";
    }

    function step(url) {
      return self.fetchPage(url, signal).then(function (page) {
        if (seq !== self.loadSeq) return null;
        pages += 1;
        allNotModified = allNotModified && page.notModified;
        etags.push(page.etag || "");
        Array.prototype.push.apply(events, page.data.events);
        if (total === null && typeof page.data.count === "number") total = page.data.count;
        var next = self.nextUrl(page, url);
        if (next && next !== url && pages < MAX_PAGES && events.length < self.maxEvents) return step(next);
        return true;
      });
    }

    return step(first).then(
      function (done) {
        if (!done || seq !== self.loadSeq) return;
        self.message.hidden = true;
        self.message.replaceChildren();
        if (events.length > self.maxEvents) events.length = self.maxEvents;
        var key = first + "\u0000" + etags.join("\u0000");
        var unchanged = allNotModified && key === self.shownKey;
        self.total = total === null ? events.length : Math.max(total, events.length);
        self.root.dispatchEvent(new CustomEvent("dateline:load", {
          bubbles: true,
          detail: { count: events.length, total: self.total, notModified: allNotModified, pages: pages },
        }));
        if (unchanged && !etags.some(function (e) { return !e; })) {
          if (!quiet) self.finishStatus(isRefresh ? "up to date" : "");
          self.settle("ready");
          self.root.dispatchEvent(new CustomEvent("dateline:render", {
            bubbles: true,
            detail: { count: self.events.length, ms: 0, notModified: true },
          }));
          return;
        }
        self.shownKey = key;
        self.show(events, isRefresh);
      },
      function (err) {
        if (seq !== self.loadSeq || (err && err.name === "AbortError")) return;
        self.showError(err instanceof ApiError ? err : new ApiError("format", "Unexpected error", String(err), 0));
      }
    );
  };

  /** Marks the end of a load (rendered, unchanged or failed): tests and host pages can wait on it. */
  Timeline.prototype.settle = function (state) {
    this.settled = (this.settled || 0) + 1;
    this.root.setAttribute("data-state", state);
    this.root.setAttribute("data-settled", String(this.settled));
    this.list.setAttribute("aria-busy", "false");
  };

  Timeline.prototype.finishStatus = function (note) {
    var n = this.events.length;
    var text = this.total > n
      ? "Showing " + n.toLocaleString("en") + " of " + plural(this.total, "event", "events")
      : plural(n, "event", "events");
    if (note) text += " · " + note;
    this.status.textContent = text;
  };

  Timeline.prototype.showError = function (err) {
    var where = this.api.origin;
    var title;
    var detail;
    if (err.kind === "network") {
      title = "The timeline service cannot be reached.";
      detail = "No answer from " + where + ". Check that the service is running and allows requests " +
        "from this page (CORS), then retry.";
    } else if (err.kind === "problem") {
      title = "The timeline service answered with an error (" + err.status + " " + err.message + ").";
      detail = err.detail;
    } else if (err.kind === "http") {
      title = "The timeline service answered with an error (HTTP " + err.status + ").";
      detail = err.message;
    } else {
      title = "The timeline service sent an answer the widget cannot read.";
      detail = err.detail;
    }
    var self = this;
    this.message.replaceChildren(
      h("p", { className: "dl-message-title" }, title),
      detail ? h("p", { className: "dl-message-detail" }, detail) : null,
      h("button", { type: "button", className: "dl-button", onclick: function () { self.load(false); } }, "Retry")
    );
    this.message.hidden = false;
    this.status.textContent = this.events.length ? "Showing the last timeline loaded" : "No timeline";
    this.settle("error");
    this.root.dispatchEvent(new CustomEvent("dateline:error", {
      bubbles: true,
      detail: { kind: err.kind, status: err.status, title: title, detail: detail },
    }));
  };

  Timeline.prototype.show = function (events, isRefresh) {
    var self = this;
    this.events = events;
    events.forEach(function (ev) {
      (ev.actors || []).forEach(function (a) { self.knownActors.add(a); });
    });
    this.updateActorList();
    this.drawAxis();
    this.renderList(isRefresh);
  };

  Timeline.prototype.updateActorList = function () {
    var actors = Array.from(this.knownActors).sort(function (a, b) { return a.localeCompare(b); });
    if (actors.length === this.actorList.childElementCount) return;
    var frag = document.createDocumentFragment();
    actors.forEach(function (a) { frag.appendChild(h("option", { value: a })); });
    this.actorList.replaceChildren(frag);
  };

  // --- the list -----------------------------------------------------------------------------------

  Timeline.prototype.renderItem = function (ev, index) {
    var info = typeInfo(ev.type);
    var date = ev.date || {};
    var flags = [];
    var unc = UNCERTAIN[date.modifier || ""];
    if (unc) {
      flags.push(h("span", { className: "dl-flag dl-flag-uncertain", title: unc[1] },
        h("span", { "aria-hidden": "true" }, unc[0]), h("span", { className: "dl-sr" }, " (" + unc[1] + ")")));
    }
    var alts = date.alternatives || [];
    if (alts.length) {
      var also = alts.map(formatDateValue).join("; ");
      flags.push(h("span", { className: "dl-flag dl-flag-conflict", title: "Sources also give: " + also },
        h("span", { "aria-hidden": "true" }, "≠"), " conflicting",
        h("span", { className: "dl-sr" }, " (sources also give " + also + ")")));
    }
    var dt = null;
    if (/^(day|month|year|week)$/.test(date.precision || "") && /^\d{4}/.test(date.value || "")) dt = date.value;
    var meta = [];
    if (ev.actors && ev.actors.length) meta.push(h("span", { className: "dl-actors" }, ev.actors.join(", ")));
    if (ev.location) meta.push(h("span", { className: "dl-location" }, ev.location));
    var count = typeof ev.source_count === "number" ? ev.source_count : (ev.sources || []).length;
    var sourcesLabel = plural(count, "source", "sources");

    var button = h(
      "button",
      {
        type: "button", className: "dl-event-btn", tabindex: index === this.activeIndex ? "0" : "-1",
        "aria-haspopup": "dialog", "aria-expanded": "false",
      },
      h("span", { className: "dl-when" },
        h("time", { className: "dl-date", datetime: dt }, date.display || formatDateValue(date)),
        flags),
      h("span", { className: "dl-title" }, ev.title || "(untitled event)"),
      h("span", { className: "dl-meta" },
        h("span", { className: "dl-type" }, h("span", { className: "dl-swatch", "aria-hidden": "true" }), info.label),
        meta),
      h("span", { className: "dl-badge" }, sourcesLabel)
    );
    var cls = "dl-event dl-type-" + info.key + (unc ? " dl-uncertain" : "") + (alts.length ? " dl-conflict" : "");
    return h("li", { className: cls, "data-index": index, "data-id": ev.id }, button);
  };

  Timeline.prototype.renderList = function (isRefresh) {
    var self = this;
    var seq = ++this.renderSeq;
    var events = this.events;
    var started = performance.now();
    // keep the event the reader was on (a refresh may move it) and the focus if it was in the list
    var hadFocus = this.list.contains(document.activeElement);
    var keepId = this.activeId;
    this.activeIndex = 0;
    if (keepId) {
      for (var k = 0; k < events.length; k++) {
        if (events[k].id === keepId) {
          this.activeIndex = k;
          break;
        }
      }
    }
    this.list.replaceChildren();
    this.list.classList.toggle("dl-many", events.length > MANY);
    this.empty.hidden = events.length > 0;
    var i = 0;
    function chunk() {
      if (seq !== self.renderSeq) return;
      var frag = document.createDocumentFragment();
      var end = Math.min(events.length, i + (i === 0 ? FIRST_CHUNK : CHUNK));
      for (; i < end; i++) frag.appendChild(self.renderItem(events[i], i));
      self.list.appendChild(frag);
      if (i < events.length) {
        nextFrame(chunk);
        return;
      }
      var ms = Math.round(performance.now() - started);
      if (hadFocus && self.itemButton(self.activeIndex)) self.setActive(self.activeIndex, true);
      self.root.setAttribute("data-render-ms", String(ms));
      self.finishStatus(isRefresh ? "updated" : "");
      self.settle("ready");
      self.root.dispatchEvent(new CustomEvent("dateline:render", { bubbles: true, detail: { count: events.length, ms: ms } }));
    }
    chunk();
  };

  Timeline.prototype.itemButton = function (index) {
    var item = this.list.children[index];
    return item ? item.firstChild : null;
  };

  Timeline.prototype.setActive = function (index, focus) {
    if (index < 0 || index >= this.list.children.length) return;
    var previous = this.itemButton(this.activeIndex);
    if (previous) previous.setAttribute("tabindex", "-1");
    this.activeIndex = index;
    this.activeId = this.events[index] ? this.events[index].id : null;
    var button = this.itemButton(index);
    button.setAttribute("tabindex", "0");
    if (focus) {
      button.focus({ preventScroll: true });
      button.scrollIntoView({ block: "nearest" });
    }
  };

  Timeline.prototype.listKey = function (e) {
    if (!e.target.classList || !e.target.classList.contains("dl-event-btn")) return;
    var n = this.list.children.length;
    var i = this.activeIndex;
    var page = Math.max(1, Math.floor(this.list.clientHeight / ((e.target.offsetHeight || 40) + 2)));
    var target = null;
    switch (e.key) {
      case "ArrowDown": target = Math.min(n - 1, i + 1); break;
      case "ArrowUp": target = Math.max(0, i - 1); break;
      case "Home": target = 0; break;
      case "End": target = n - 1; break;
      case "PageDown": target = Math.min(n - 1, i + page); break;
      case "PageUp": target = Math.max(0, i - page); break;
      default: return; // Enter and Space click the button
    }
    e.preventDefault();
    this.setActive(target, true);
  };

  // --- the sources dialog -------------------------------------------------------------------------

  Timeline.prototype.open = function (index) {
    var ev = this.events[index];
    if (!ev) return;
    this.setActive(index, false);
    this.openIndex = index;
    var date = ev.date || {};
    var info = typeInfo(ev.type);
    this.dialogTitle.textContent = ev.title || "(untitled event)";
    var body = [];
    var dateLine = [h("strong", null, date.display || formatDateValue(date))];
    var range = date.start === date.end ? formatDay(date.start) : formatDay(date.start) + " – " + formatDay(date.end);
    dateLine.push(" (" + (date.precision || "date") + ": " + range + ")");
    var unc = UNCERTAIN[date.modifier || ""];
    if (unc) dateLine.push(h("span", { className: "dl-flag dl-flag-uncertain" }, unc[0] + " " + unc[1]));
    body.push(h("p", { className: "dl-dialog-date" }, dateLine));
    if ((date.alternatives || []).length) {
      body.push(h("p", { className: "dl-dialog-alts" },
        h("span", { className: "dl-flag dl-flag-conflict" }, "≠ conflicting"),
        " Sources also give: " + date.alternatives.map(formatDateValue).join("; ") + "."));
    }
    var facts = [h("span", { className: "dl-type dl-type-" + info.key },
      h("span", { className: "dl-swatch", "aria-hidden": "true" }), info.label)];
    if (ev.actors && ev.actors.length) facts.push(" · " + ev.actors.join(", "));
    if (ev.location) facts.push(" · " + ev.location);
    body.push(h("p", { className: "dl-dialog-facts dl-type-" + info.key }, facts));
    var sources = ev.sources || [];
    body.push(h("h3", { className: "dl-sources-title" }, plural(sources.length, "source", "sources")));
    var base = this.api.href;
    body.push(h("ol", { className: "dl-sources" }, sources.map(function (s) { return renderSource(s, base); })));
    this.dialogBody.replaceChildren.apply(this.dialogBody, body);
    var button = this.itemButton(index);
    if (button) button.setAttribute("aria-expanded", "true");
    if (!this.dialog.open) {
      if (this.dialog.showModal) this.dialog.showModal();
      else this.dialog.setAttribute("open", "");
    }
    this.dialog.querySelector(".dl-close").focus();
    this.dialogBody.scrollTop = 0;
  };

  /** One source: title (a link when its URL is http or https), publisher, publication date, and the
   * verbatim quote with the date expression marked. */
  function renderSource(source, base) {
    var url = safeHttpUrl(source.url, base);
    var name = source.title || source.document_id || "Untitled document";
    var heading = url
      ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, name)
      : h("span", null, name);
    var meta = [];
    if (source.publisher) meta.push(h("span", { className: "dl-publisher" }, source.publisher));
    var pub = source.published || {};
    if (pub.value) {
      var basis = BASIS[pub.basis] || "";
      meta.push(h("span", { className: "dl-published" }, "Published ",
        h("time", { datetime: pub.value }, formatDay(pub.value)), basis ? " (" + basis + ")" : ""));
    } else {
      meta.push(h("span", { className: "dl-published" }, "Publication date unknown"));
    }
    var parts = quoteSegments(source);
    var quote = h("blockquote", { className: "dl-quote" });
    parts.segments.forEach(function (seg) {
      if (seg[1] === "date") quote.appendChild(h("mark", { className: "dl-date-expr" }, seg[0]));
      else if (seg[1] === "trigger") quote.appendChild(h("span", { className: "dl-trigger" }, seg[0]));
      else quote.appendChild(document.createTextNode(seg[0]));
    });
    var note = null;
    if (!parts.dateInQuote && source.date_text) {
      note = h("p", { className: "dl-date-note" }, "Dated by ",
        h("mark", { className: "dl-date-expr dl-date-outside" }, source.date_text),
        source.date_end <= source.start ? ", earlier in the article." : ", elsewhere in the article.");
    }
    return h("li", { className: "dl-source" },
      h("p", { className: "dl-source-title" }, heading),
      h("p", { className: "dl-source-meta" }, meta.reduce(function (acc, m, i) {
        if (i) acc.push(" · ");
        acc.push(m);
        return acc;
      }, [])),
      quote, note);
  }

  Timeline.prototype.close = function () {
    if (this.dialog.open) {
      if (this.dialog.close) this.dialog.close();
      else {
        this.dialog.removeAttribute("open");
        this.afterClose();
      }
    }
  };

  Timeline.prototype.afterClose = function () {
    var button = this.itemButton(this.openIndex);
    if (button) {
      button.setAttribute("aria-expanded", "false");
      button.focus({ preventScroll: true });
    }
  };

  // --- the time axis (one canvas: cheap with thousands of events) ---------------------------------

  var BREAK_W = 14;

  /** A piecewise linear day -> x scale over the events' spans ([start, end) day numbers). Stretches
   * with no event that are longer than two years and a tenth of the whole range become breaks of
   * BREAK_W pixels, so that a 1980s event does not squeeze the events of 2024 into a few pixels. */
  function axisScale(spans, left, right) {
    var valid = spans.filter(function (s) { return !isNaN(s[0]); }).slice().sort(function (a, b) { return a[0] - b[0]; });
    if (!valid.length) return null;
    var lo = valid[0][0];
    var hi = -Infinity;
    valid.forEach(function (s) { hi = Math.max(hi, s[1]); });
    var breakMin = Math.max(730, (hi - lo) * 0.1);
    var segments = [];
    var current = null;
    valid.forEach(function (s) {
      if (current && s[0] - current.e <= breakMin) {
        current.e = Math.max(current.e, s[1]);
      } else {
        current = { s: s[0], e: s[1] };
        segments.push(current);
      }
    });
    segments.forEach(function (seg) {
      var pad = Math.min(Math.max(15, (seg.e - seg.s) * 0.03), breakMin / 4);
      seg.s -= pad;
      seg.e += pad;
    });
    var available = right - left - BREAK_W * (segments.length - 1);
    var minW = Math.min(56, available / segments.length);
    var total = 0;
    segments.forEach(function (seg) { total += seg.e - seg.s; });
    // proportional widths, with a minimum: the narrow ones get it, the others share the rest
    var fixed = 0;
    var flexible = total;
    for (var pass = 0; pass < 3; pass++) {
      segments.forEach(function (seg) {
        if (seg.fixed) return;
        var w = ((seg.e - seg.s) / flexible) * (available - fixed);
        if (w < minW) {
          seg.fixed = true;
          seg.w = minW;
          fixed += minW;
          flexible -= seg.e - seg.s;
        }
      });
    }
    var at = left;
    segments.forEach(function (seg, i) {
      if (!seg.fixed) seg.w = flexible > 0 ? ((seg.e - seg.s) / flexible) * (available - fixed) : minW;
      seg.x0 = at;
      at += seg.w + (i < segments.length - 1 ? BREAK_W : 0);
    });
    var breaks = segments.slice(1).map(function (seg) { return seg.x0 - BREAK_W / 2; });
    function x(day) {
      var seg = segments[0];
      for (var i = 0; i < segments.length; i++) {
        if (day >= segments[i].s) seg = segments[i];
      }
      return seg.x0 + ((Math.min(day, seg.e) - seg.s) / (seg.e - seg.s)) * seg.w;
    }
    return { x: x, segments: segments, breaks: breaks };
  }

  /** Year (or month) ticks inside one segment: [day number, label]. */
  function segmentTicks(seg) {
    var loYear = new Date(seg.s * 864e5).getUTCFullYear();
    var hiYear = new Date(seg.e * 864e5).getUTCFullYear();
    var years = hiYear - loYear + 1;
    var maxTicks = Math.max(1, Math.floor(seg.w / 64));
    var ticks = [];
    if (years <= 3 && maxTicks >= years * 2) {
      var stepM = [1, 2, 3, 6].find(function (m) { return (years * 12) / m <= maxTicks; }) || 6;
      for (var y = loYear; y <= hiYear; y++) {
        for (var m = 0; m < 12; m += stepM) {
          var d = Date.UTC(y, m, 1) / 864e5;
          if (d >= seg.s && d <= seg.e) ticks.push([d, m === 0 ? String(y) : MONTHS[m].slice(0, 3)]);
        }
      }
    } else {
      var steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];
      var step = steps.find(function (s) { return years / s <= maxTicks; }) || 1000;
      for (var yy = Math.ceil(loYear / step) * step; yy <= hiYear; yy += step) {
        var dd = Date.UTC(yy, 0, 1) / 864e5;
        if (dd >= seg.s && dd <= seg.e) ticks.push([dd, String(yy)]);
      }
    }
    if (!ticks.length) ticks.push([(seg.s + seg.e) / 2, String(new Date(((seg.s + seg.e) / 2) * 864e5).getUTCFullYear())]);
    return ticks;
  }

  Timeline.prototype.typeColour = function (type) {
    var button = this.typeButtons[type] || this.typeButtons.other;
    var value = button ? getComputedStyle(button).getPropertyValue("--dl-type").trim() : "";
    return value || typeInfo(type).colour;
  };

  Timeline.prototype.drawAxis = function () {
    var canvas = this.canvas;
    var events = this.events;
    this.marks = [];
    this.axis.hidden = !events.length;
    var width = this.axis.clientWidth;
    if (!width || !events.length) return;
    var lanesMax = 6;
    var laneH = 9;
    var top = 6;
    var height = top + lanesMax * (laneH + 2) + 22;
    var dpr = window.devicePixelRatio || 1;
    canvas.style.height = height + "px";
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    var ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);

    var spans = events.map(function (ev) {
      var d = ev.date || {};
      var s = dayNumber(d.start);
      var e = dayNumber(d.end);
      if (isNaN(s)) s = e;
      if (isNaN(e)) e = s;
      return [s, e + 1];
    });
    var left = 8;
    var right = width - 8;
    var scale = axisScale(spans, left, right);
    if (!scale) return;
    var x = scale.x;

    // baseline (broken where long empty stretches are left out), ticks
    var style = getComputedStyle(this.root);
    var ink = style.getPropertyValue("--dl-muted").trim() || "#555";
    var baseline = top + lanesMax * (laneH + 2) + 2;
    ctx.strokeStyle = ink;
    ctx.fillStyle = ink;
    ctx.lineWidth = 1;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "top";
    var labelEnd = -Infinity;
    scale.segments.forEach(function (seg) {
      ctx.beginPath();
      ctx.moveTo(seg.x0, baseline + 0.5);
      ctx.lineTo(seg.x0 + seg.w, baseline + 0.5);
      ctx.stroke();
      segmentTicks(seg).forEach(function (t) {
        var tx = Math.round(x(t[0])) + 0.5;
        ctx.beginPath();
        ctx.moveTo(tx, baseline);
        ctx.lineTo(tx, baseline + 4);
        ctx.stroke();
        var w = ctx.measureText(t[1]).width;
        var lx = Math.min(Math.max(left, tx - w / 2), right - w);
        if (lx > labelEnd + 4) {
          ctx.fillText(t[1], lx, baseline + 6);
          labelEnd = lx + w;
        }
      });
    });
    scale.breaks.forEach(function (bx) {
      ctx.beginPath();
      ctx.moveTo(bx - 4, baseline + 5);
      ctx.lineTo(bx - 1, baseline - 4);
      ctx.moveTo(bx + 1, baseline + 5);
      ctx.lineTo(bx + 4, baseline - 4);
      ctx.stroke();
    });

    // marks: greedy lanes in date order, so that overlapping periods stay visible
    var order = [];
    spans.forEach(function (span, i) { if (!isNaN(span[0])) order.push(i); });
    order.sort(function (a, b) { return spans[a][0] - spans[b][0] || spans[a][1] - spans[b][1]; });
    var laneEnds = [];
    for (var l = 0; l < lanesMax; l++) laneEnds.push(-Infinity);
    var colours = {};
    var self = this;
    order.forEach(function (i) {
      var ev = events[i];
      var span = spans[i];
      var x0 = x(span[0]);
      var x1 = Math.max(x(span[1]), x0 + 3);
      var lane = laneEnds.findIndex(function (end) { return end + 1 < x0; });
      if (lane < 0) {
        lane = 0;
        for (var k = 1; k < lanesMax; k++) if (laneEnds[k] < laneEnds[lane]) lane = k;
      }
      laneEnds[lane] = Math.max(laneEnds[lane], x1);
      var y0 = top + lane * (laneH + 2);
      var type = TYPES[ev.type] ? ev.type : "other";
      var colour = colours[type] || (colours[type] = self.typeColour(type));
      var d = ev.date || {};
      var uncertain = !!UNCERTAIN[d.modifier || ""] || (d.alternatives || []).length > 0;
      ctx.fillStyle = colour;
      ctx.globalAlpha = x1 - x0 > 4 ? 0.45 : 0.95;
      ctx.fillRect(x0, y0, x1 - x0, laneH);
      ctx.globalAlpha = 1;
      if (uncertain) {
        ctx.setLineDash([2, 2]);
        ctx.strokeStyle = colour;
        ctx.strokeRect(x0 + 0.5, y0 + 0.5, x1 - x0 - 1, laneH - 1);
        ctx.setLineDash([]);
      }
      self.marks.push([x0, x1, y0, y0 + laneH, i]);
    });
    var first = events.find(function (ev) { return ev.date && ev.date.display; });
    var last = events.slice().reverse().find(function (ev) { return ev.date && ev.date.display; });
    canvas.setAttribute("aria-label", "Time axis: " + plural(events.length, "event", "events") +
      (first ? ", " + first.date.display + " to " + last.date.display : "") +
      ". The list below has every event.");
  };

  Timeline.prototype.markAt = function (e) {
    var rect = this.canvas.getBoundingClientRect();
    var px = e.clientX - rect.left;
    var py = e.clientY - rect.top;
    var best = null;
    var bestDistance = 6;
    (this.marks || []).forEach(function (m) {
      var dx = px < m[0] ? m[0] - px : px > m[1] ? px - m[1] : 0;
      var dy = py < m[2] ? m[2] - py : py > m[3] ? py - m[3] : 0;
      var distance = dx + dy;
      if (distance < bestDistance || (distance === bestDistance && best && m[1] - m[0] < best[1] - best[0])) {
        best = m;
        bestDistance = distance;
      }
    });
    return best ? best[4] : -1;
  };

  Timeline.prototype.axisHover = function (e) {
    var index = this.markAt(e);
    var ev = this.events[index];
    this.canvas.title = ev ? (ev.date.display + " — " + ev.title) : "";
    this.canvas.style.cursor = ev ? "pointer" : "";
  };

  Timeline.prototype.axisClick = function (e) {
    var index = this.markAt(e);
    if (index < 0 || index >= this.list.children.length) return;
    this.setActive(index, true);
    this.open(index);
  };

  // --- start --------------------------------------------------------------------------------------

  function mount(element, url) {
    if (!element || element.__dateline) return element && element.__dateline;
    var api = url || element.getAttribute("data-dateline");
    if (!api) return null;
    element.__dateline = new Timeline(element, api);
    return element.__dateline;
  }

  function scan() {
    ensureStylesheet();
    var found = document.querySelectorAll("[data-dateline]");
    for (var i = 0; i < found.length; i++) mount(found[i]);
  }

  window.Dateline = { version: VERSION, mount: mount, scan: scan, formatDateValue: formatDateValue };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
