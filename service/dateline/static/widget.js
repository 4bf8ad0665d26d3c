/*!
 * Dateline timeline widget. Plain JavaScript, no dependencies, no build step.
 *
 * Embed:
 *   <div data-dateline="https://host/v1/timeline?actor=North%20Korea"></div>
 *   <script src="https://host/widget.js"></script>
 *
 * Every [data-dateline] element becomes a timeline of the API URL it names. Options (attributes of the
 * element; README, "Timeline widget"): data-dateline-filters (none | collapsed | open),
 * data-dateline-height, data-dateline-theme (light | dark | auto), data-dateline-locale,
 * data-dateline-refresh, data-dateline-prefix, data-dateline-max. The stylesheet is added from the
 * script's origin unless the page has a <link data-dateline-css>. #event-<id> opens that event.
 * window.Dateline.mount(element, url) mounts one by hand, .scan() finds new elements. Events on the
 * element: dateline:load, dateline:render, dateline:error, dateline:select.
 *
 * Source text is only ever inserted as text (createTextNode / textContent), never parsed as HTML.
 */
(function () {
"use strict";

if (window.Dateline && window.Dateline.version) {
  window.Dateline.scan();
  return;
}

var VERSION = "2";
var script = document.currentScript;
var ASSET_BASE = new URL(".", (script && script.src) || document.baseURI).href;

/** Filter parameters the widget edits (and keeps in the page URL). */
var FILTER_KEYS = ["from", "to", "actor", "type", "q", "sort"];
var MULTI_KEYS = { actor: true, type: true };
var PARTIAL_ISO = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
var DATE_HELP = "Dates: 2024, 2024-06 or 2024-06-19.";
var MAX_PAGES = 50;
var FIRST_CHUNK = 60;
var CHUNK = 250;
var CACHE_SIZE = 40;
/** Above this many events, rows out of view are neither laid out nor painted (content-visibility). */
var MANY = 150;
var DAY_MS = 864e5;

/** TIMEX3 modifiers that make a date uncertain: [symbol, words] (START/MID/END only narrow it). */
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
var BASIS = {
  given: "",
  stated: "date stated in the article",
  inferred: "date inferred",
  unknown: "",
};

var uid = 0;
var claimedPrefixes = {};
/** Mounted widgets in mount order: the first one holding an event answers its permalink. */
var widgets = [];
var hashOpened = "";

// --- small helpers ---

/** An element: attrs become attributes (on*, className, text: properties); strings become text. */
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
      else if (key === "dlType") node.style.setProperty("--dl-type", "var(--dl-type-" + value + ",var(--dl-type-other))");
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

/** A type's key (class and colour: --dl-type-<key>) and label, with the subtype when given. */
function typeInfo(type, subtype) {
  var key = String(type || "other").replace(/\W/g, "_");
  var label = key.replace(/_/g, " ");
  return { key: key, label: label.charAt(0).toUpperCase() + label.slice(1) + (subtype ? " · " + subtype : "") };
}

function titleOf(ev) {
  return readable(ev.title) || "(untitled event)";
}

function plural(n, one, many) {
  return n.toLocaleString("en") + " " + (n === 1 ? one : many);
}

/** Days since 1970-01-01 of an ISO day (UTC arithmetic: no time zone surprises). */
function dayNumber(iso) {
  var m = /^(-?\d{1,6})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!m) return NaN;
  var date = new Date(Date.UTC(2000, +m[2] - 1, +m[3]));
  date.setUTCFullYear(+m[1]); // years 0-99 stay themselves
  return date.getTime() / DAY_MS;
}

function isoDay(n) {
  return new Date(Math.floor(n) * DAY_MS).toISOString().slice(0, 10);
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
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

// --- dates in the reader's language ---

/** What Intl.DateTimeFormat cannot say (seasons, quarters, decades, "early"...) per language; other
 * languages get Intl ranges of months or years. */
var WORDS = {
  en: {
    seasons: ["spring", "summer", "autumn", "winter"], season: "{s} {y}", quarter: "Q{n} {y}",
    half: ["first half of {y}", "second half of {y}"], decade: "the {y}0s",
    century: function (n) {
      var i = n % 100 >= 10 && n % 100 <= 20 ? 0 : n % 10;
      return "the " + n + (["th", "st", "nd", "rd"][i] || "th") + " century";
    },
    mods: { START: "early {d}", MID: "mid-{d}", END: "late {d}", APPROX: "about {d}" }, article: "the ",
  },
  fr: {
    seasons: ["printemps", "été", "automne", "hiver"], season: "{s} {y}",
    quarter: function (n, y) { return (n === 1 ? "1er" : n + "e") + " trimestre " + y; },
    half: ["premier semestre {y}", "second semestre {y}"], decade: "les années {y}0",
    century: function (n) { return roman(n) + "e siècle"; },
    mods: { START: "début {d}", MID: "mi-{d}", END: "fin {d}", APPROX: "vers {d}" },
  },
  de: {
    seasons: ["Frühling", "Sommer", "Herbst", "Winter"], season: "{s} {y}", quarter: "{n}. Quartal {y}",
    half: ["erstes Halbjahr {y}", "zweites Halbjahr {y}"], decade: "die {y}0er-Jahre",
    century: function (n) { return n + ". Jahrhundert"; },
    mods: { START: "Anfang {d}", MID: "Mitte {d}", END: "Ende {d}", APPROX: "um {d}" },
  },
  es: {
    seasons: ["primavera", "verano", "otoño", "invierno"], season: "{s} de {y}", quarter: "{n}.º trimestre de {y}",
    half: ["primer semestre de {y}", "segundo semestre de {y}"], decade: "los años {y}0",
    century: function (n) { return "siglo " + roman(n); },
    mods: { START: "principios de {d}", MID: "mediados de {d}", END: "finales de {d}", APPROX: "hacia {d}" },
  },
};
var SEASON_INDEX = { SP: 0, SU: 1, FA: 2, WI: 3 };
var F_DAY = { day: "numeric", month: "long", year: "numeric" };
var F_MONTH = { month: "long", year: "numeric" };
var F_MONTH_SHORT = { month: "short", year: "numeric" };
var F_YEAR = { year: "numeric" };
var intlCache = {};

function roman(n) {
  var out = "";
  [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"],
    [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]].forEach(function (p) {
    while (n >= p[0]) { out += p[1]; n -= p[0]; }
  });
  return out;
}

function fill(template, values) {
  if (typeof template === "function") return template(values.n, values.y);
  return template.replace(/\{(\w)\}/g, function (m, k) { return values[k]; });
}

/** The locale to use: a valid BCP 47 tag, else English. */
function resolveLocale(wanted) {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([wanted])[0] || "en";
  } catch (e) {
    return "en";
  }
}

/** Formats the API's dates at their precision in one locale, with Intl.DateTimeFormat (UTC days). */
function DateFormat(locale) {
  this.locale = resolveLocale(locale || "en");
  this.words = WORDS[this.locale.split("-")[0].toLowerCase()] || null;
}

DateFormat.prototype.intl = function (options) {
  var key = this.locale + JSON.stringify(options);
  return intlCache[key] || (intlCache[key] = new Intl.DateTimeFormat(this.locale, Object.assign({ timeZone: "UTC" }, options)));
};

/** One day number (or ISO day) in the given Intl options. */
DateFormat.prototype.day = function (day, options) {
  var n = typeof day === "number" ? day : dayNumber(day);
  return isNaN(n) ? String(day || "") : this.intl(options || F_DAY).format(n * DAY_MS);
};

/** "4–10 November 2024", "March – May 2024": Intl's own way of writing a range. */
DateFormat.prototype.range = function (a, b, options) {
  var x = typeof a === "number" ? a : dayNumber(a);
  var y = typeof b === "number" ? b : dayNumber(b);
  if (isNaN(x) || isNaN(y)) return String(a || b || "");
  return this.intl(options || F_DAY).formatRange(x * DAY_MS, y * DAY_MS);
};

/** A reader's form of an API date value ({value, precision, start, end, modifier}). */
DateFormat.prototype.date = function (d) {
  var v = String(d.value || "");
  var year = v.slice(0, 4);
  var w = this.words;
  var mod = d.modifier || "";
  var text;
  var words = !!w; // false when the text came from an Intl range (no modifier word fits it)
  switch (d.precision) {
    case "day": text = this.day(/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : d.start); break; // the value: "on or before" widens start
    case "week": text = this.range(d.start, d.end); words = false; break;
    case "month": text = this.day(v.slice(0, 7) + "-01", F_MONTH); break;
    case "year": text = this.day(year + "-01-01", F_YEAR); break;
    case "season":
    case "quarter":
    case "half":
      var part = v.slice(5);
      if (w) {
        var n = parseInt(part.slice(1), 10);
        if (d.precision === "season") text = fill(w.season, { s: w.seasons[SEASON_INDEX[part]] || part, y: year });
        else if (d.precision === "quarter") text = fill(w.quarter, { n: n, y: year });
        else text = fill(w.half[n === 2 ? 1 : 0], { y: year });
      } else text = this.range(d.start, d.end, F_MONTH_SHORT);
      break;
    case "decade":
      text = w ? fill(w.decade, { y: v }) : this.range(v + "0-01-01", v + "9-12-31", F_YEAR);
      break;
    case "century":
      text = w ? w.century(parseInt(v, 10) + 1) : this.range(v + "00-01-01", v + "99-12-31", F_YEAR);
      break;
    default: return v || d.display || "";
  }
  if (!/^(START|MID|END|APPROX)$/.test(mod)) return text;
  var english = w && w.article;
  if (w && words && (english || /^(day|month|year)$/.test(d.precision))) {
    if (english && text.indexOf(english) === 0) return english + fill(w.mods[mod], { d: text.slice(english.length) });
    return fill(w.mods[mod], { d: text });
  }
  if (mod === "APPROX") return "≈ " + text;
  // "early 1980s" in a language without the words: the narrowed bounds themselves
  return this.range(d.start, d.end, /^(day|week|month)$/.test(d.precision) ? F_DAY : F_MONTH_SHORT);
};

// --- readable quotes ---

var LINK = /(!?)\[([^[\]\n]*)\](\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"\n]*")?\)|\[[^[\]\n]*\])/g;
var EMPHASIS = /(^|[^\w*`\\])(\*\*|__|\*|_|`)(?=[^\s*_`])([^\n]*?[^\s\\])\2(?![\w*`])/g;

/** 1 at the UTF-16 positions of scraped markup ([text](url), ![alt](url), [text][ref], *x*, **x**,
 * _x_, `x`, stray asterisks): left out, the text unchanged so the API's offsets still hold. */
function markupMask(text) {
  var hide = new Uint8Array(text.length);
  function cut(from, to) {
    for (var i = from; i < to; i++) hide[i] = 1;
  }
  var m;
  LINK.lastIndex = 0;
  while ((m = LINK.exec(text))) {
    var open = m.index + m[1].length + 1;
    cut(m.index, open);
    cut(open + m[2].length, m.index + m[0].length);
  }
  EMPHASIS.lastIndex = 0;
  while ((m = EMPHASIS.exec(text))) {
    var at = m.index + m[1].length;
    var mark = m[2].length;
    var closer = hide[at] === 1; // the closing mark of an outer one
    if (!closer) {
      cut(at, at + mark);
      cut(at + mark + m[3].length, at + 2 * mark + m[3].length);
    }
    EMPHASIS.lastIndex = closer ? at + 1 : at + mark; // look inside too: **a *b* c**
  }
  for (var i = 0; i < text.length; i++) if (text.charAt(i) === "*") hide[i] = 1;
  return hide;
}

/** The text a reader would see: scraped markup left out. */
function readable(text) {
  text = String(text || "");
  var hide = markupMask(text);
  var out = "";
  for (var i = 0; i < text.length; i++) if (!hide[i]) out += text.charAt(i);
  return out;
}

/** The quote as [text, "date" | "trigger" | ""] segments, markup left out. The API's offsets count
 * code points, JavaScript's UTF-16 units. */
function quoteSegments(source) {
  var quote = String(source.quote || "");
  var chars = Array.from(quote);
  var base = source.start;
  var spans = [];
  var dateInQuote = false;
  var ds = source.date_start - base;
  var de = source.date_end - base;
  if (ds >= 0 && de <= chars.length && de > ds && chars.slice(ds, de).join("") === source.date_text) {
    spans.push([ds, de, "date"]);
    dateInQuote = true;
  }
  var trig = source.trigger;
  if (trig && typeof trig.start === "number") {
    var ts = trig.start - base;
    var te = trig.end - base;
    var overlaps = spans.some(function (s) { return ts < s[1] && te > s[0]; });
    if (ts >= 0 && te <= chars.length && te > ts && !overlaps) spans.push([ts, te, "trigger"]);
  }
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var raw = [];
  var pos = 0;
  spans.forEach(function (s) {
    if (s[0] > pos) raw.push([chars.slice(pos, s[0]).join(""), ""]);
    raw.push([chars.slice(s[0], s[1]).join(""), s[2]]);
    pos = s[1];
  });
  if (pos < chars.length) raw.push([chars.slice(pos).join(""), ""]);
  var hide = markupMask(quote);
  var offset = 0;
  var out = [];
  raw.forEach(function (seg) {
    var text = "";
    for (var i = 0; i < seg[0].length; i++) if (!hide[offset + i]) text += seg[0].charAt(i);
    offset += seg[0].length;
    if (text) out.push([text, seg[1]]);
  });
  return { segments: out, dateInQuote: dateInQuote };
}

// --- the time axis ---

var BREAK_W = 14;
var LANE_H = 18;
var BAR_H = 10;
var TOP = 6;
var TICKS_H = 24;
var LABEL_MAX = 160;
var MAX_LABELS = 80;
/** Tick steps, smallest first: the first whose labels are far enough apart is used. */
var UNITS = [["day", 1], ["day", 2], ["day", 7], ["month", 1], ["month", 3], ["month", 6], ["year", 1],
  ["year", 2], ["year", 5], ["year", 10], ["year", 20], ["year", 50], ["year", 100], ["year", 250], ["year", 1000]];
var UNIT_DAYS = { day: 1, month: 30.44, year: 365.25 };
var UNIT_PX = { day: 58, month: 50, year: 44 };

function dayOfYmd(y, m, d) {
  y += Math.floor(m / 12);
  m = ((m % 12) + 12) % 12;
  var date = new Date(Date.UTC(2000, m, d));
  date.setUTCFullYear(y);
  return date.getTime() / DAY_MS;
}

/** The events' spans ([start, end) days) on u from 0 to 1, piecewise linear: a gap over two years and
 * a fifth of the whole becomes a break (BREAK_W px at full view), so that a 1980s event does not squeeze
 * 2024 into a few pixels; each piece gets 56 px at least. */
function axisDomain(spans, width) {
  var valid = spans.filter(function (s) { return !isNaN(s[0]); }).sort(function (a, b) { return a[0] - b[0]; });
  if (!valid.length || width <= 0) return null;
  var lo = valid[0][0];
  var hi = -Infinity;
  valid.forEach(function (s) { hi = Math.max(hi, s[1]); });
  var breakMin = Math.max(730, (hi - lo) * 0.2);
  var segs = [];
  var current = null;
  valid.forEach(function (s) {
    if (current && s[0] - current.e <= breakMin) current.e = Math.max(current.e, s[1]);
    else segs.push((current = { s: s[0], e: s[1] }));
  });
  segs.forEach(function (seg) {
    var pad = Math.min(Math.max(1, (seg.e - seg.s) * 0.04), breakMin / 4);
    seg.s -= pad;
    seg.e += pad;
  });
  var available = width - BREAK_W * (segs.length - 1);
  var minW = Math.min(56, available / segs.length);
  var flexible = 0;
  var fixed = 0;
  segs.forEach(function (seg) { flexible += seg.e - seg.s; });
  for (var pass = 0; pass < 3; pass++) {
    segs.forEach(function (seg) {
      if (seg.w) return;
      if (((seg.e - seg.s) / flexible) * (available - fixed) < minW) {
        seg.w = minW;
        fixed += minW;
        flexible -= seg.e - seg.s;
      }
    });
  }
  var at = 0;
  segs.forEach(function (seg) {
    if (!seg.w) seg.w = flexible > 0 ? ((seg.e - seg.s) / flexible) * (available - fixed) : minW;
    seg.u0 = at / width;
    at += seg.w;
    seg.u1 = at / width;
    at += BREAK_W;
  });
  return { segs: segs, breaks: segs.slice(1).map(function (seg) { return seg.u0 - BREAK_W / 2 / width; }) };
}

/** Day numbers of the ticks of a unit between d0 and d1. */
function tickDays(unit, d0, d1) {
  var out = [];
  var step = unit[1];
  var first = new Date(Math.floor(d0) * DAY_MS);
  if (unit[0] === "day") {
    for (var d = Math.ceil(d0); d <= d1; d++) {
      if (step === 7 ? ((d % 7) + 7) % 7 === 4 : d % step === 0) out.push(d); // 4: a Monday
    }
  } else if (unit[0] === "month") {
    var y = first.getUTCFullYear();
    for (var m = first.getUTCMonth(); ; m++) {
      var t = dayOfYmd(y, m, 1);
      if (t > d1) break;
      if (t >= d0 && m % step === 0) out.push(t);
    }
  } else {
    for (var yy = Math.ceil(first.getUTCFullYear() / step) * step; ; yy += step) {
      var ty = dayOfYmd(yy, 0, 1);
      if (ty > d1) break;
      if (ty >= d0) out.push(ty);
    }
  }
  return out;
}

/** The scale: spans ([start, end) days) on u (0 to 1), the view (the part of u in sight: zoom, pan),
 * u on the plot's pixels, the ticks. */
function TimeScale(width, changed) {
  this.width = width;
  this.changed = changed;
  this.reset([]);
}

TimeScale.prototype.reset = function (spans) {
  this.spans = spans;
  this.view = [0, 1];
  this.domain = null;
};

/** The domain for a plot this wide (null: no span has a day). */
TimeScale.prototype.layout = function (width) {
  if (!this.domain || this.domainWidth !== width) {
    this.domain = axisDomain(this.spans.slice(), width - 16);
    this.domainWidth = width;
  }
  return this.domain;
};

TimeScale.prototype.u = function (day) {
  var segs = this.domain.segs;
  var seg = segs[0];
  for (var i = 1; i < segs.length; i++) if (day >= segs[i].s) seg = segs[i];
  return seg.u0 + ((clamp(day, seg.s, seg.e) - seg.s) / (seg.e - seg.s)) * (seg.u1 - seg.u0);
};

TimeScale.prototype.day = function (u) {
  var segs = this.domain.segs;
  for (var i = 0; i < segs.length; i++) {
    var seg = segs[i];
    if (u <= seg.u1 || i === segs.length - 1) {
      return seg.s + clamp((u - seg.u0) / (seg.u1 - seg.u0), 0, 1) * (seg.e - seg.s);
    }
  }
  return NaN;
};

/** Pixel x of a u value in the current view (8 px margins), and back. */
TimeScale.prototype.x = function (u) {
  return 8 + ((u - this.view[0]) / (this.view[1] - this.view[0])) * (this.width() - 16);
};

TimeScale.prototype.uAt = function (px) {
  return this.view[0] + ((px - 8) / (this.width() - 16)) * (this.view[1] - this.view[0]);
};

/** The narrowest view: about three days of the most detailed piece. */
TimeScale.prototype.minSpan = function () {
  var least = 1;
  (this.domain ? this.domain.segs : []).forEach(function (seg) {
    least = Math.min(least, (3 * (seg.u1 - seg.u0)) / Math.max(3, seg.e - seg.s));
  });
  return Math.max(least, 1e-5);
};

TimeScale.prototype.setView = function (a, b) {
  var span = clamp(b - a, this.minSpan(), 1);
  a = clamp(a, 0, 1 - span);
  this.view = [a, a + span];
  this.changed();
};

/** Zoom a view (default: this one) by a factor (2: closer) around pixel x (default: the middle). */
TimeScale.prototype.zoom = function (factor, px, view) {
  view = view || this.view;
  var f = px === undefined ? 0.5 : clamp((px - 8) / (this.width() - 16), 0, 1);
  var span = view[1] - view[0];
  var next = clamp(span / factor, this.minSpan(), 1);
  this.setView(view[0] + f * (span - next), view[0] + f * (span - next) + next);
};

/** Pan by a fraction of the visible width (negative: to the past). */
TimeScale.prototype.pan = function (fraction) {
  var span = this.view[1] - this.view[0];
  this.setView(this.view[0] + fraction * span, this.view[1] + fraction * span);
};

TimeScale.prototype.fit = function () {
  this.setView(0, 1);
};

/** Pan so that a span is in view; false if it was. */
TimeScale.prototype.reveal = function (span) {
  if (!this.domain || !span || isNaN(span[0])) return false;
  var u = (this.u(span[0]) + this.u(span[1])) / 2;
  var size = this.view[1] - this.view[0];
  if (u >= this.view[0] && u <= this.view[1]) return false;
  this.setView(u - size / 2, u + size / 2);
  return true;
};

/** The ticks of a piece up to x = right. */
TimeScale.prototype.ticks = function (seg, right) {
  var pxPerDay = (this.x(seg.u1) - this.x(seg.u0)) / (seg.e - seg.s);
  var unit = UNITS.find(function (u) { return pxPerDay * UNIT_DAYS[u[0]] * u[1] >= UNIT_PX[u[0]]; }) || UNITS[UNITS.length - 1];
  var d0 = this.day(Math.max(seg.u0, this.uAt(8)));
  var d1 = this.day(Math.min(seg.u1, this.uAt(right)));
  return { unit: unit, days: tickDays(unit, d0, d1) };
};

/** The time axis: a canvas of bars (periods) and points (days) titled where they fit, ticks from the
 * visible span, zoom and pan (buttons, wheel, pinch, drag, keys); selecting selects in the list. */
function TimeAxis(timeline) {
  var self = this;
  this.t = timeline;
  this.scale = new TimeScale(function () { return self.width(); }, function () { self.requestDraw(); });
  this.spans = [];
  this.marks = [];
  this.selected = -1;
  this.labelCache = new Map();
  this.pointers = new Map();
  this.canvas = h("canvas", { className: "dl-canvas", role: "img", tabindex: "0", "aria-label": "Time axis" });
  this.text = h("div", { className: "dl-axis-text", "aria-hidden": "true" });
  this.rangeText = h("span", { className: "dl-axis-range" });
  var scale = this.scale;
  function button(cls, label, text, action) {
    return h("button", { type: "button", className: "dl-button dl-zoom " + cls, "aria-label": label, title: label, onclick: action }, text);
  }
  this.zoomIn = button("dl-zoom-in", "Zoom in", "+", function () { scale.zoom(2); });
  this.zoomOut = button("dl-zoom-out", "Zoom out", "−", function () { scale.zoom(0.5); });
  this.zoomFit = button("dl-zoom-fit", "All: show the whole timeline", "All", function () { scale.fit(); });
  this.root = h("div", { className: "dl-axis", hidden: true },
    h("div", { className: "dl-axis-bar" }, this.rangeText,
      h("span", { className: "dl-zoom-buttons", role: "group", "aria-label": "Zoom the time axis" },
        this.zoomOut, this.zoomIn, this.zoomFit)),
    h("div", { className: "dl-plot" }, this.canvas, this.text));
  this.bind();
}

TimeAxis.prototype.bind = function () {
  var self = this;
  var canvas = this.canvas;
  canvas.addEventListener("keydown", function (e) { self.key(e); });
  canvas.addEventListener("wheel", function (e) { self.wheel(e); }, { passive: false });
  canvas.addEventListener("pointerdown", function (e) { self.pointerDown(e); });
  canvas.addEventListener("pointermove", function (e) { self.pointerMove(e); });
  canvas.addEventListener("pointerup", function (e) { self.pointerUp(e, true); });
  canvas.addEventListener("pointercancel", function (e) { self.pointerUp(e, false); });
};

/** New events: a new domain and the whole span in view. */
TimeAxis.prototype.setEvents = function (events) {
  this.spans = events.map(function (ev) {
    var d = ev.date || {};
    var s = dayNumber(d.start);
    var e = dayNumber(d.end);
    if (isNaN(s)) s = e;
    if (isNaN(e)) e = s;
    return [s, e + 1];
  });
  this.labelCache = new Map();
  this.selected = -1;
  this.scale.reset(this.spans);
  this.root.hidden = !events.length;
  this.draw();
};

TimeAxis.prototype.width = function () {
  return this.canvas.clientWidth || this.root.clientWidth;
};

TimeAxis.prototype.key = function (e) {
  var k = e.key;
  var step = e.shiftKey ? 0.8 : 0.25;
  var scale = this.scale;
  if (k === "+" || k === "=") scale.zoom(2);
  else if (k === "-" || k === "_") scale.zoom(0.5);
  else if (k === "0") scale.fit();
  else if (k === "ArrowLeft" || k === "ArrowRight") scale.pan(k === "ArrowLeft" ? -step : step);
  else if (k === "Home" || k === "End") scale.pan(k === "Home" ? -1e9 : 1e9); // to the first or last
  else return;
  e.preventDefault();
};

/** Ctrl/⌘ + wheel (a touchpad pinch too) zooms, a plain wheel only once the axis has focus (else the
 * page scrolls); a horizontal wheel pans. */
TimeAxis.prototype.wheel = function (e) {
  var rect = this.canvas.getBoundingClientRect();
  var unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? rect.width : 1;
  if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    this.scale.pan((e.deltaX * unit) / rect.width);
  } else if (e.ctrlKey || e.metaKey || document.activeElement === this.canvas) {
    this.scale.zoom(Math.exp((-e.deltaY * unit) / 300), e.clientX - rect.left);
  } else return;
  e.preventDefault();
};

TimeAxis.prototype.pointerDown = function (e) {
  if (e.button !== 0 && e.pointerType === "mouse") return;
  this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
  try {
    this.canvas.setPointerCapture(e.pointerId);
  } catch (err) { /* a pointer the browser does not track (synthetic): moves still come here */ }
  this.gesture = { view: this.scale.view.slice(), points: this.pointerPositions(), moved: 0 };
};

TimeAxis.prototype.pointerPositions = function () {
  return Array.from(this.pointers.values());
};

TimeAxis.prototype.pointerMove = function (e) {
  if (!this.pointers.has(e.pointerId)) {
    if (e.pointerType === "mouse") this.hover(e);
    return;
  }
  this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
  var g = this.gesture;
  var now = this.pointerPositions();
  var width = this.width() - 16;
  var span = g.view[1] - g.view[0];
  if (now.length >= 2 && g.points.length >= 2) { // pinch: the distance between two fingers
    var before = Math.abs(g.points[0].x - g.points[1].x) || 1;
    g.moved = Infinity;
    this.scale.zoom((Math.abs(now[0].x - now[1].x) || 1) / before,
      (g.points[0].x + g.points[1].x) / 2 - this.canvas.getBoundingClientRect().left, g.view);
  } else if (now.length === 1 && g.points.length === 1) { // drag
    var dx = now[0].x - g.points[0].x;
    g.moved = Math.max(g.moved, Math.abs(dx) + Math.abs(now[0].y - g.points[0].y));
    if (g.moved > 4) this.scale.setView(g.view[0] - (dx / width) * span, g.view[1] - (dx / width) * span);
  }
};

TimeAxis.prototype.pointerUp = function (e, done) {
  if (!this.pointers.has(e.pointerId)) return;
  this.pointers.delete(e.pointerId);
  var g = this.gesture;
  if (done && g && g.moved <= 4 && !this.pointers.size) {
    var index = this.markAt(e);
    if (index >= 0) this.t.select(index, "axis");
  }
  this.gesture = { view: this.scale.view.slice(), points: this.pointerPositions(), moved: g ? g.moved : 0 };
};

TimeAxis.prototype.markAt = function (e) {
  var rect = this.canvas.getBoundingClientRect();
  var px = e.clientX - rect.left;
  var py = e.clientY - rect.top;
  var best = -1;
  var bestDistance = 6;
  this.marks.forEach(function (m) {
    var dx = px < m[0] ? m[0] - px : px > m[1] ? px - m[1] : 0;
    var dy = py < m[2] ? m[2] - py : py > m[3] ? py - m[3] : 0;
    if (dx + dy < bestDistance) {
      best = m[4];
      bestDistance = dx + dy;
    }
  });
  return best;
};

TimeAxis.prototype.hover = function (e) {
  var ev = this.t.events[this.markAt(e)];
  this.canvas.title = ev ? this.t.fmt.date(ev.date || {}) + " — " + readable(ev.title) : "";
  this.canvas.style.cursor = ev ? "pointer" : "grab";
};

/** Highlight an event; reveal: pan so that it is in view. */
TimeAxis.prototype.select = function (index, reveal) {
  this.selected = index;
  var ev = this.t.events[index];
  if (ev) this.root.setAttribute("data-selected", ev.id);
  if (!(reveal && this.scale.reveal(this.spans[index]))) this.requestDraw();
};

/** A box (viewport pixels) on the event's mark, for whoever needs to point at it. */
TimeAxis.prototype.boxOf = function (index) {
  var rect = this.canvas.getBoundingClientRect();
  var mark = this.marks.find(function (m) { return m[4] === index; });
  return mark ? { x: rect.left + (mark[0] + mark[1]) / 2, y: rect.top + (mark[2] + mark[3]) / 2 } : null;
};

TimeAxis.prototype.requestDraw = function () {
  var self = this;
  if (this.pending) return;
  this.pending = true;
  nextFrame(function () {
    self.pending = false;
    self.draw();
  });
};

/** The event's title and its width (at most LABEL_MAX: the stylesheet cuts it with an ellipsis). */
TimeAxis.prototype.label = function (ctx, index) {
  var cached = this.labelCache.get(index);
  if (!cached) {
    var text = titleOf(this.t.events[index]);
    this.labelCache.set(index, (cached = [text, Math.min(LABEL_MAX, Math.ceil(ctx.measureText(text).width))]));
  }
  return cached;
};

TimeAxis.prototype.draw = function () {
  var events = this.t.events;
  this.marks = [];
  var width = this.width();
  if (!width || !events.length || this.root.hidden || !this.scale.layout(width)) return;
  var lanes = clamp(events.length, 2, 6);
  var height = TOP + lanes * LANE_H + TICKS_H;
  var canvas = this.canvas;
  var dpr = window.devicePixelRatio || 1;
  canvas.style.height = height + "px";
  this.text.style.height = height + "px";
  canvas.width = Math.round(width * dpr); // also clears it
  canvas.height = Math.round(height * dpr);
  var ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  var style = getComputedStyle(this.t.root);
  ctx.font = "12px " + (style.getPropertyValue("--dl-font").trim() || "sans-serif");
  var texts = [];
  var baseline = TOP + lanes * LANE_H + 2;
  this.drawTicks(ctx, style, baseline, texts);
  this.drawMarks(ctx, style, lanes, texts);
  this.text.replaceChildren.apply(this.text, texts);
  this.describe();
};

/** Baseline, breaks and the ticks of each visible piece, labelled where the labels do not collide. */
TimeAxis.prototype.drawTicks = function (ctx, style, baseline, texts) {
  var self = this;
  var scale = this.scale;
  var fmt = this.t.fmt;
  var right = this.width() - 8;
  ctx.strokeStyle = style.getPropertyValue("--dl-muted").trim() || "#555";
  var labelEnd = -Infinity;
  scale.domain.segs.forEach(function (seg) {
    var x0 = scale.x(seg.u0);
    var x1 = scale.x(seg.u1);
    if (x1 < 8 || x0 > right) return;
    ctx.beginPath();
    ctx.moveTo(Math.max(8, x0), baseline + 0.5);
    ctx.lineTo(Math.min(right, x1), baseline + 0.5);
    ctx.stroke();
    var ticks = scale.ticks(seg, right);
    var unit = ticks.unit;
    ticks.days.forEach(function (day, i) {
      var tx = Math.round(scale.x(scale.u(day))) + 0.5;
      ctx.beginPath();
      ctx.moveTo(tx, baseline);
      ctx.lineTo(tx, baseline + 5);
      ctx.stroke();
      var date = new Date(day * DAY_MS);
      var label = unit[0] === "year" ? fmt.day(day, F_YEAR)
        : unit[0] === "month" ? fmt.day(day, i === 0 || date.getUTCMonth() === 0 ? F_MONTH_SHORT : { month: "short" })
        : fmt.day(day, { day: "numeric", month: "short" });
      var w = ctx.measureText(label).width;
      var lx = clamp(tx - w / 2, 8, right - w);
      if (lx > labelEnd + 8) {
        labelEnd = lx + w;
        texts.push(self.place(h("span", { className: "dl-tick", "data-day": isoDay(day) }, label), lx, baseline + 6));
      }
    });
  });
  scale.domain.breaks.forEach(function (u) {
    var bx = scale.x(u);
    if (bx < 8 || bx > right) return;
    ctx.beginPath();
    ctx.moveTo(bx - 4, baseline + 5);
    ctx.lineTo(bx - 1, baseline - 4);
    ctx.moveTo(bx + 1, baseline + 5);
    ctx.lineTo(bx + 4, baseline - 4);
    ctx.stroke();
  });
};

TimeAxis.prototype.place = function (node, x, y) {
  node.style.left = Math.round(x) + "px";
  node.style.top = Math.round(y) + "px";
  return node;
};

/** Marks in date order on greedy lanes, titled (inside, after or before) where a lane has room. */
TimeAxis.prototype.drawMarks = function (ctx, style, lanes, texts) {
  var self = this;
  var scale = this.scale;
  var spans = this.spans;
  var right = this.width() - 8;
  var order = [];
  spans.forEach(function (span, i) { if (!isNaN(span[0])) order.push(i); });
  order.sort(function (a, b) { return spans[a][0] - spans[b][0] || spans[a][1] - spans[b][1]; });
  var rows = []; // per lane: where it ends (with a title), where its last mark ends, its last title
  for (var l = 0; l < lanes; l++) rows.push({ end: -Infinity, markEnd: -Infinity, title: null });
  var colours = {};
  var labels = 0;
  var selected = null;
  order.forEach(function (i) {
    var x0 = scale.x(scale.u(spans[i][0]));
    var x1 = scale.x(scale.u(spans[i][1]));
    if (x1 < 4 || x0 > right + 4) return;
    var point = x1 - x0 < 7;
    if (point) {
      x0 = (x0 + x1) / 2 - 4;
      x1 = x0 + 8;
    }
    var lane = -1;
    var label = null;
    var lx = 0;
    for (var k = 0; k < lanes && lane < 0 && labels < MAX_LABELS; k++) {
      if (rows[k].end + 4 >= x0) continue;
      label = self.label(ctx, i);
      if (Math.min(x1, right) - Math.max(x0, 8) >= label[1] + 12) lx = Math.max(x0, 8) + 6; // inside a long bar
      else if (x1 + 6 + label[1] <= right) lx = x1 + 5;
      else if (x0 - 6 - label[1] > Math.max(8, rows[k].end + 4)) lx = x0 - 5 - label[1];
      else continue;
      lane = k;
    }
    if (lane < 0) {
      label = null;
      lane = rows.findIndex(function (r) { return r.end + 2 < x0; });
    }
    if (lane < 0) { // shorten a title to make room for the mark
      lane = rows.findIndex(function (r) { return r.markEnd + 2 < x0 && r.title && r.title[1] + 40 < x0; });
      var cut = lane >= 0 && rows[lane].title;
      if (cut) {
        cut[0].style.maxWidth = x0 - 5 - cut[1] + "px";
        cut[2][1] = rows[lane].end = x0 - 4;
      }
    }
    if (lane < 0) {
      lane = 0;
      for (var j = 1; j < lanes; j++) if (rows[j].end < rows[lane].end) lane = j;
    }
    var row = rows[lane];
    var y0 = TOP + lane * LANE_H + (LANE_H - BAR_H) / 2;
    var ev = self.t.events[i];
    var key = typeInfo(ev.type).key;
    var d = ev.date || {};
    ctx.fillStyle = ctx.strokeStyle = colours[key] || (colours[key] = style.getPropertyValue("--dl-type-" + key).trim() || "#777");
    if (point) {
      ctx.beginPath();
      ctx.arc(x0 + 4, y0 + BAR_H / 2, 4.5, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.globalAlpha = 0.55;
      ctx.fillRect(x0, y0, x1 - x0, BAR_H);
      ctx.globalAlpha = 1;
      ctx.fillRect(x0, y0, 2, BAR_H);
    }
    if (UNCERTAIN[d.modifier || ""] || (d.alternatives || []).length) {
      ctx.setLineDash([2, 2]);
      ctx.strokeRect(x0 - 1.5, y0 - 1.5, x1 - x0 + 3, BAR_H + 3);
      ctx.setLineDash([]);
    }
    var mark = [label ? Math.min(x0, lx) : x0, label ? Math.max(x1, lx + label[1]) : x1, y0 - 3, y0 + BAR_H + 3, i];
    row.end = Math.max(row.end, mark[1]);
    row.markEnd = Math.max(row.markEnd, x1);
    row.title = null;
    if (label) {
      labels += 1;
      var node = self.place(h("span", { className: "dl-mark-label", "data-id": ev.id }, label[0]), lx, y0 + BAR_H / 2 - 8);
      texts.push(node);
      if (lx > x1) row.title = [node, lx, mark];
    }
    self.marks.push(mark);
    if (i === self.selected) selected = mark;
  });
  if (selected) {
    ctx.strokeStyle = style.getPropertyValue("--dl-ink").trim() || "#000";
    ctx.lineWidth = 2;
    ctx.strokeRect(selected[0] - 3, selected[2], selected[1] - selected[0] + 6, selected[3] - selected[2]);
    ctx.lineWidth = 1;
  }
};

/** The visible range in words (and data-from/data-to), the zoom buttons' state. */
TimeAxis.prototype.describe = function () {
  var scale = this.scale;
  var from = scale.day(Math.max(0, scale.uAt(8)));
  var to = scale.day(Math.min(1, scale.uAt(this.width() - 8))) - 1;
  to = Math.max(from, to);
  var range = this.t.fmt.range(from, to, to - from < 62 ? F_DAY : to - from < 1100 ? F_MONTH_SHORT : F_YEAR);
  var whole = scale.view[0] <= 0 && scale.view[1] >= 1;
  this.rangeText.textContent = (whole ? "" : "Zoomed: ") + range;
  this.root.setAttribute("data-from", isoDay(from));
  this.root.setAttribute("data-to", isoDay(to));
  this.zoomOut.disabled = whole;
  this.zoomFit.disabled = whole;
  this.zoomIn.disabled = scale.view[1] - scale.view[0] <= scale.minSpan() * 1.0001;
  this.canvas.setAttribute("aria-label", "Time axis of " + plural(this.t.events.length, "event", "events") +
    ", showing " + range + ". Arrow keys pan, + and − zoom, 0 shows everything; the list below has every event.");
};

// --- the widget ---

/** The element's options (see the top of this file), with their defaults. */
function readOptions(root) {
  function attr(name) {
    return (root.getAttribute("data-dateline-" + name) || "").trim();
  }
  var filters = attr("filters").toLowerCase();
  var theme = attr("theme").toLowerCase();
  var height = attr("height");
  if (/^\d+(\.\d+)?$/.test(height)) height += "px";
  if (height && !(window.CSS && CSS.supports && CSS.supports("height", height))) height = "";
  var lang = root.closest("[lang]");
  return {
    filters: /^(none|open)$/.test(filters) ? filters : "collapsed",
    theme: /^(dark|auto)$/.test(theme) ? theme : "light",
    height: height,
    locale: attr("locale") || (lang && lang.getAttribute("lang")) || navigator.language || "en",
    max: parseInt(attr("max") || "5000", 10) || 5000,
    refresh: parseFloat(attr("refresh") || "0") || 0,
    prefix: root.getAttribute("data-dateline-prefix") || "",
  };
}

function Timeline(root, apiUrl) {
  this.root = root;
  this.id = "dl" + ++uid;
  this.api = new URL(apiUrl, document.baseURI);
  this.options = readOptions(root);
  this.fmt = new DateFormat(this.options.locale);
  this.cache = new Map(); // request URL -> {etag, data}
  this.events = [];
  this.total = 0;
  this.knownActors = new Set();
  this.typesShown = [];
  this.activeIndex = 0;
  this.selectedIndex = -1;
  this.loadSeq = 0;
  this.renderSeq = 0;
  this.controller = null;
  this.shownKey = null;
  this.maxEvents = this.options.max;

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

  var prefix = this.options.prefix;
  this.prefix = null;
  if (prefix !== "none" && !claimedPrefixes[prefix]) {
    claimedPrefixes[prefix] = true;
    this.prefix = prefix;
  }
  this.state = this.readPageState() || cloneState(this.defaults);

  this.build();
  this.syncForm();
  this.load(false);

  var every = this.options.refresh;
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

// --- DOM ---

Timeline.prototype.build = function () {
  var root = this.root;
  var options = this.options;
  root.classList.add("dl-root");
  root.classList.toggle("dl-fixed", !!options.height);
  if (options.height) root.style.setProperty("--dl-height", options.height);
  this.theme();
  root.setAttribute("data-state", "loading");
  root.replaceChildren();
  this.status = h("p", { className: "dl-status", role: "status", "aria-live": "polite" }, "Loading the timeline…");
  this.message = h("div", { className: "dl-message", role: "alert", hidden: true });
  this.buildFilters();
  this.axis = new TimeAxis(this);
  this.buildList();
  this.buildDialog();
  root.append(
    h("div", { className: "dl-head" }, this.status),
    options.filters === "none" ? null : this.filters,
    this.message, this.axis.root, this.list, this.empty, this.dialog
  );
  this.observe();
};

Timeline.prototype.buildInputs = function () {
  var id = this.id;
  function dateInput(name) {
    return h("input", {
      type: "text", id: id + "-" + name, name: name, className: "dl-input", inputmode: "numeric",
      placeholder: "YYYY[-MM[-DD]]", autocomplete: "off", "aria-describedby": id + "-date-help", size: "11",
    });
  }
  this.qInput = h("input", {
    type: "search", id: id + "-q", name: "q", className: "dl-input", autocomplete: "off",
    placeholder: "Words in titles or quotes",
  });
  this.fromInput = dateInput("from");
  this.toInput = dateInput("to");
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
  this.typeGroup = h("div", { className: "dl-types", role: "group", "aria-labelledby": id + "-types-label" });
  this.typeField = h("div", { className: "dl-field dl-field-types", hidden: true },
    h("span", { id: id + "-types-label", className: "dl-label" }, "Types (none selected: all)"), this.typeGroup);
  this.dateHelp = h("p", { id: id + "-date-help", className: "dl-help" }, DATE_HELP);
  this.filterCount = h("span", { className: "dl-filter-count" });
};

/** The filter form in a <details>: folded on embeds (data-dateline-filters). */
Timeline.prototype.buildFilters = function () {
  var self = this;
  var id = this.id;
  this.buildInputs();
  function field(cls, name, label, control) {
    return h("div", { className: "dl-field" + cls }, h("label", { for: id + "-" + name }, label), control);
  }
  var form = h(
    "form",
    { className: "dl-filters", role: "search", "aria-label": "Filter the timeline", novalidate: true },
    field(" dl-field-q", "q", "Text", this.qInput),
    field("", "from", "From", this.fromInput),
    field("", "to", "To", this.toInput),
    field(" dl-field-actor", "actor", "Actor", [
      h("div", { className: "dl-actor-row" }, this.actorInput,
        h("button", { type: "button", className: "dl-button", onclick: function () { self.addActor(); } }, "Add")),
      this.actorList,
    ]),
    field("", "sort", "Order", this.sortSelect),
    this.actorChips, this.typeField, this.dateHelp,
    h(
      "div", { className: "dl-actions" },
      h("button", { type: "submit", className: "dl-button dl-apply" }, "Apply"),
      h("button", { type: "button", className: "dl-button dl-clear", onclick: function () { self.clearFilters(); } }, "Clear filters"),
      h("button", { type: "button", className: "dl-button dl-refresh", onclick: function () { self.load(true); } }, "Refresh")
    )
  );
  this.bindForm(form);
  this.filters = h(
    "details", { className: "dl-filter-panel" },
    h("summary", { className: "dl-summary" }, "Filters", this.filterCount),
    form
  );
  if (this.options.filters === "open" && (this.root.clientWidth || window.innerWidth) >= 600) this.filters.open = true;
};

Timeline.prototype.bindForm = function (form) {
  var self = this;
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
};

Timeline.prototype.buildList = function () {
  var self = this;
  this.list = h("ul", { className: "dl-list", role: "list", "aria-label": "Events", "aria-busy": "true" });
  this.list.addEventListener("keydown", function (e) { self.listKey(e); });
  this.list.addEventListener("click", function (e) {
    var item = e.target.closest ? e.target.closest(".dl-event") : null;
    if (item && self.list.contains(item)) self.open(+item.getAttribute("data-index"));
  });
  this.list.addEventListener("focusin", function (e) {
    var item = e.target.closest ? e.target.closest(".dl-event") : null;
    if (item) {
      self.setActive(+item.getAttribute("data-index"), false);
      self.select(+item.getAttribute("data-index"), "list");
    }
  });
  this.empty = h("p", { className: "dl-empty", hidden: true }, "No events match these filters.");
};

Timeline.prototype.buildDialog = function () {
  var self = this;
  var id = this.id;
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
};

/** Redraw the axis when its width changes, or the system's colours do (theme "auto"). */
Timeline.prototype.observe = function () {
  var self = this;
  var axis = this.axis;
  if (window.ResizeObserver) {
    var lastWidth = 0;
    new ResizeObserver(function () {
      var width = axis.root.clientWidth;
      if (width !== lastWidth) {
        lastWidth = width;
        axis.requestDraw();
      }
    }).observe(axis.root);
  } else {
    window.addEventListener("resize", function () { axis.requestDraw(); });
  }
  if (this.dark && this.dark.addEventListener) this.dark.addEventListener("change", function () { self.theme(); });
};

/** data-dl-theme="light" or "dark" (the stylesheet's switch); "auto" follows the system's setting. */
Timeline.prototype.theme = function () {
  var theme = this.options.theme;
  if (theme === "auto") {
    this.dark = this.dark || (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)"));
    theme = this.dark && this.dark.matches ? "dark" : "light";
  }
  this.root.setAttribute("data-dl-theme", theme);
  if (this.axis) this.axis.requestDraw();
};

/** Chips for the types in the timeline, "other" last (kept while types are selected: the API answers
 * only those). */
Timeline.prototype.updateTypes = function () {
  var self = this;
  var present = {};
  this.events.forEach(function (ev) { present[typeInfo(ev.type).key] = true; });
  (this.state.type.length ? this.typesShown : []).concat(this.state.type).forEach(function (t) { present[t] = true; });
  var shown = Object.keys(present).sort(function (a, b) { return (a === "other") - (b === "other") || (a < b ? -1 : 1); });
  if (shown.join() !== this.typesShown.join()) {
    this.typesShown = shown;
    this.typeButtons = {};
    this.typeGroup.replaceChildren.apply(this.typeGroup, shown.map(function (type) {
      var button = h("button", {
        type: "button", className: "dl-type-toggle dl-type-" + type, "aria-pressed": "false", "data-type": type,
        dlType: type, onclick: function () { self.toggleType(type); },
      }, h("span", { className: "dl-swatch", "aria-hidden": "true" }), typeInfo(type).label);
      self.typeButtons[type] = button;
      return button;
    }));
  }
  this.typeField.hidden = !shown.length;
  this.syncForm();
};

Timeline.prototype.syncForm = function () {
  var s = this.state;
  this.qInput.value = s.q;
  this.fromInput.value = s.from;
  this.toInput.value = s.to;
  this.sortSelect.value = s.sort === "desc" ? "desc" : "";
  var buttons = this.typeButtons;
  Object.keys(buttons).forEach(function (type) {
    buttons[type].setAttribute("aria-pressed", s.type.indexOf(type) >= 0 ? "true" : "false");
  });
  var self = this;
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
    : DATE_HELP;
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
// --- loading ---

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
        var failed = function () {
          throw new ApiError("http", res.statusText || "Error", "", res.status);
        };
        if (type.indexOf("json") < 0) failed();
        return res.json().then(function (body) {
          var title = (body && body.title) || res.statusText || "Error";
          throw new ApiError("problem", title, (body && body.detail) || "", res.status);
        }, failed);
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

/** Fetch every page for the current filters; isRefresh: a conditional re-check, quiet: a timed one. */
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
  this.updateTypes();
  this.selectedIndex = -1;
  this.axis.setEvents(events);
  this.renderList(isRefresh);
};

Timeline.prototype.updateActorList = function () {
  var actors = Array.from(this.knownActors).sort(function (a, b) { return a.localeCompare(b); });
  if (actors.length === this.actorList.childElementCount) return;
  var frag = document.createDocumentFragment();
  actors.forEach(function (a) { frag.appendChild(h("option", { value: a })); });
  this.actorList.replaceChildren(frag);
};

// --- the list ---

Timeline.prototype.renderItem = function (ev, index) {
  var info = typeInfo(ev.type, ev.subtype);
  var date = ev.date || {};
  var fmt = this.fmt;
  var flags = [];
  var unc = UNCERTAIN[date.modifier || ""];
  if (unc) {
    flags.push(h("span", { className: "dl-flag dl-flag-uncertain", title: unc[1] },
      h("span", { "aria-hidden": "true" }, unc[0]), h("span", { className: "dl-sr" }, " (" + unc[1] + ")")));
  }
  var alts = date.alternatives || [];
  if (alts.length) {
    var also = alts.map(function (d) { return fmt.date(d); }).join("; ");
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

  var button = h(
    "button",
    {
      type: "button", className: "dl-event-btn", tabindex: index === this.activeIndex ? "0" : "-1",
      "aria-haspopup": "dialog", "aria-expanded": "false",
    },
    h("span", { className: "dl-when" }, h("time", { className: "dl-date", datetime: dt }, fmt.date(date)), flags),
    h("span", { className: "dl-title" }, titleOf(ev)),
    h("span", { className: "dl-meta" },
      h("span", { className: "dl-type" }, h("span", { className: "dl-swatch", "aria-hidden": "true" }), info.label),
      meta),
    h("span", { className: "dl-badge" }, plural(count, "source", "sources"))
  );
  var cls = "dl-event dl-type-" + info.key + (unc ? " dl-uncertain" : "") + (alts.length ? " dl-conflict" : "");
  return h("li", { className: cls, "data-index": index, "data-id": ev.id, dlType: info.key }, button);
};

Timeline.prototype.renderList = function (isRefresh) {
  var self = this;
  var seq = ++this.renderSeq;
  var events = this.events;
  var started = performance.now();
  // keep the event the reader was on (a refresh may move it) and the focus if it was in the list
  var hadFocus = this.list.contains(document.activeElement);
  var keepId = this.activeId;
  this.activeIndex = Math.max(0, this.indexOfId(keepId));
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
    openFromHash(self);
  }
  chunk();
};

Timeline.prototype.indexOfId = function (id) {
  return id ? this.events.findIndex(function (ev) { return ev.id === id; }) : -1;
};

Timeline.prototype.itemButton = function (index) {
  var item = this.list.children[index];
  return item ? item.firstChild : null;
};

Timeline.prototype.setActive = function (index, focus, block) {
  if (index < 0 || index >= this.list.children.length) return;
  var previous = this.itemButton(this.activeIndex);
  if (previous) previous.setAttribute("tabindex", "-1");
  this.activeIndex = index;
  this.activeId = this.events[index] ? this.events[index].id : null;
  var button = this.itemButton(index);
  button.setAttribute("tabindex", "0");
  if (focus) {
    button.focus({ preventScroll: true });
    button.scrollIntoView({ block: block || "nearest" });
  }
};

/** Select an event in the list and on the axis, scrolling the one it was not selected from. */
Timeline.prototype.select = function (index, from) {
  var ev = this.events[index];
  if (!ev || index >= this.list.children.length || (from === "list" && index === this.selectedIndex)) return;
  var previous = this.list.children[this.selectedIndex];
  if (previous && this.selectedIndex !== index) {
    previous.classList.remove("dl-selected", "dl-flash");
    previous.removeAttribute("aria-current");
  }
  var item = this.list.children[index];
  this.selectedIndex = index;
  item.classList.add("dl-selected");
  item.setAttribute("aria-current", "true");
  this.axis.select(index, from !== "axis");
  if (from !== "list") {
    this.setActive(index, true, "center");
    item.classList.remove("dl-flash");
    void item.offsetWidth; // restart the highlight's animation
    item.classList.add("dl-flash");
  }
  this.root.dispatchEvent(new CustomEvent("dateline:select", { bubbles: true, detail: { id: ev.id, index: index, from: from } }));
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

// --- permalinks (#event-<id>) ---

function hashId() {
  var m = /^#event-(.+)$/.exec(location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch (e) {
    return m[1];
  }
}

/** Open the event of #event-<id> in the first widget that has it (one widget: else from the API). */
function openFromHash(rendered) {
  var id = hashId();
  if (!id || hashOpened === location.hash) return;
  for (var i = 0; i < widgets.length; i++) {
    var index = widgets[i].indexOfId(id);
    if (index >= 0 && index < widgets[i].list.children.length) {
      hashOpened = location.hash;
      widgets[i].select(index, "hash");
      widgets[i].open(index);
      return;
    }
  }
  if (widgets.length === 1 && rendered === widgets[0]) {
    hashOpened = location.hash;
    widgets[0].openRemote(id);
  }
}

Timeline.prototype.openRemote = function (id) {
  var self = this;
  var url = new URL("events/" + encodeURIComponent(id), this.api.href).href;
  fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" }).then(function (res) {
    return res.ok ? res.json() : null;
  }).then(function (ev) {
    if (ev && ev.id === id && Array.isArray(ev.sources)) self.showDialog(ev, -1);
    else self.finishStatus("event " + id + " is not in this timeline");
  }, function () {
    self.finishStatus("event " + id + " could not be loaded");
  });
};

// --- the sources dialog ---

Timeline.prototype.open = function (index) {
  var ev = this.events[index];
  if (!ev) return;
  this.setActive(index, false);
  this.showDialog(ev, index);
};

Timeline.prototype.showDialog = function (ev, index) {
  var self = this;
  var fmt = this.fmt;
  this.openIndex = index;
  var date = ev.date || {};
  var info = typeInfo(ev.type, ev.subtype);
  this.dialogTitle.textContent = titleOf(ev);
  var body = [];
  var dateLine = [h("strong", null, fmt.date(date))];
  if (date.start !== date.end) dateLine.push(" (" + (date.precision || "date") + ": " + fmt.range(date.start, date.end) + ")");
  var unc = UNCERTAIN[date.modifier || ""];
  if (unc) dateLine.push(h("span", { className: "dl-flag dl-flag-uncertain" }, unc[0] + " " + unc[1]));
  body.push(h("p", { className: "dl-dialog-date" }, dateLine));
  if ((date.alternatives || []).length) {
    body.push(h("p", { className: "dl-dialog-alts" },
      h("span", { className: "dl-flag dl-flag-conflict" }, "≠ conflicting"),
      " Sources also give: " + date.alternatives.map(function (d) { return fmt.date(d); }).join("; ") + "."));
  }
  var facts = [h("span", { className: "dl-type dl-type-" + info.key },
    h("span", { className: "dl-swatch", "aria-hidden": "true" }), info.label)];
  if (ev.actors && ev.actors.length) facts.push(" · " + ev.actors.join(", "));
  if (ev.location) facts.push(" · " + ev.location);
  body.push(h("p", { className: "dl-dialog-facts dl-type-" + info.key, dlType: info.key }, facts));
  var sources = ev.sources || [];
  // the badge counts reports (source_count: documents); one report may be quoted more than once
  var reports = typeof ev.source_count === "number" ? ev.source_count : sources.length;
  var heading = plural(reports, "source", "sources");
  if (sources.length !== reports) heading += ", " + plural(sources.length, "quote", "quotes");
  body.push(h("h3", { className: "dl-sources-title" }, heading));
  body.push(h("ol", { className: "dl-sources" }, sources.map(function (s) { return self.renderSource(s); })));
  body.push(h("p", { className: "dl-permalink" },
    h("a", { href: "#event-" + encodeURIComponent(ev.id) }, "Link to this event")));
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

/** A source: title, publisher, date, the readable quote with its date and trigger marked, a link. */
Timeline.prototype.renderSource = function (source) {
  var url = safeHttpUrl(source.url, this.api.href);
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
      h("time", { datetime: pub.value }, this.fmt.day(pub.value)), basis ? " (" + basis + ")" : ""));
  } else {
    meta.push(h("span", { className: "dl-published" }, "Publication date unknown"));
  }
  var parts = quoteSegments(source);
  var quote = h("blockquote", { className: "dl-quote" });
  parts.segments.forEach(function (seg) {
    if (seg[1] === "date") quote.appendChild(h("mark", { className: "dl-date-expr" }, seg[0]));
    else if (seg[1] === "trigger") quote.appendChild(h("strong", { className: "dl-trigger" }, seg[0]));
    else quote.appendChild(document.createTextNode(seg[0]));
  });
  var note = null;
  if (!parts.dateInQuote && source.date_text) {
    note = h("p", { className: "dl-date-note" }, "Dated by ",
      h("mark", { className: "dl-date-expr dl-date-outside" }, readable(source.date_text)),
      source.date_end <= source.start ? ", earlier in the article." : ", elsewhere in the article.");
  }
  return h("li", { className: "dl-source" },
    h("p", { className: "dl-source-title" }, heading),
    h("p", { className: "dl-source-meta" }, meta.reduce(function (acc, m, i) {
      if (i) acc.push(" · ");
      acc.push(m);
      return acc;
    }, [])),
    quote, note,
    url ? h("p", { className: "dl-source-link" },
      h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "Read the article")) : null);
};

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

// --- start ---

function mount(element, url) {
  if (!element || element.__dateline) return element && element.__dateline;
  var api = url || element.getAttribute("data-dateline");
  if (!api) return null;
  var timeline = new Timeline(element, api);
  element.__dateline = timeline;
  widgets.push(timeline);
  return timeline;
}

function scan() {
  ensureStylesheet();
  var found = document.querySelectorAll("[data-dateline]");
  for (var i = 0; i < found.length; i++) mount(found[i]);
}

window.addEventListener("hashchange", function () {
  hashOpened = "";
  openFromHash(widgets.length === 1 && widgets[0].root.getAttribute("data-state") === "ready" ? widgets[0] : null);
});

window.Dateline = {
  version: VERSION, mount: mount, scan: scan, readable: readable,
  formatDateValue: function (d, locale) { return new DateFormat(locale).date(d || {}); },
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
else scan();
})();
