/* laureate-writer desk: plain JavaScript, no dependency, no external asset.
   Every state-changing request is a JSON POST carrying the page token (X-LW-Jeton);
   every write names the version of the file the page holds. */
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const PAGE_TOKEN = $('meta[name="lw-jeton"]').content;
const DATA = JSON.parse($("#donnees").textContent || "{}");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-LW-Jeton": PAGE_TOKEN },
    body: JSON.stringify(body),
  });
  let data;
  try { data = await response.json(); } catch (_) { data = { error: await response.text() }; }
  if (!response.ok) {
    const error = new Error(data.error || response.statusText);
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

function alerte(message, { info = false, reload = false } = {}) {
  const box = $("#alerte");
  box.replaceChildren(message);
  box.classList.toggle("info", info);
  if (reload) box.append(el("button", { type: "button", class: "secondaire", onclick: () => location.reload() }, "Recharger"));
  box.hidden = false;
  if (!info) box.focus?.();
}

function clearAlerte() { $("#alerte").hidden = true; }

function failed(error) {
  alerte(error.message, { reload: Boolean(error.data && error.data.reload) });
}

function pastille(text, level) { return el("span", { class: `pastille ${level}` }, text); }

/* --- workspace ------------------------------------------------------------------------ */

async function workspacePage() {
  const response = await fetch("/api/espace");
  const state = await response.json();
  $("#espace-info").textContent = `Dossier de travail : ${state.workspace} · rédacteur : ${state.writer}`;
  const dossiers = $("#dossiers tbody");
  dossiers.replaceChildren();
  for (const d of state.dossiers) {
    const actions = el("td");
    if (d.article) actions.append(el("a", { href: `/article?chemin=${encodeURIComponent(d.article)}` }, "Ouvrir l’article"));
    else if (d.ok) actions.append(el("button", { type: "button", onclick: () => draft(d.path) , "aria-label": `Rédiger ${d.path}` }, "Rédiger"));
    dossiers.append(el("tr", {},
      el("td", {}, el("a", { href: `/dossier?chemin=${encodeURIComponent(d.path)}` }, d.path)),
      el("td", {}, d.laureate || ""), el("td", {}, d.prize || ""),
      el("td", {}, d.ok ? (d.article ? pastille("rédigé", "ok") : pastille("à rédiger", "warn"))
        : [pastille("invalide", "err"), el("div", { class: "muted" }, d.error || "")]),
      actions));
  }
  const articles = $("#articles tbody");
  articles.replaceChildren();
  for (const a of state.articles) {
    const findings = a.findings === null ? "—" : a.findings === 0 ? pastille("aucune", "ok") : pastille(`${a.findings} ouverte(s)`, "warn");
    articles.append(el("tr", {},
      el("td", {}, el("a", { href: `/article?chemin=${encodeURIComponent(a.path)}` }, a.path)),
      el("td", {}, a.laureate || ""), el("td", {}, findings),
      el("td", {}, a.edited_by_hand.length ? a.edited_by_hand.join(", ") : "aucune section"),
      el("td", {}, a.stale === null ? "—" : a.stale ? pastille("périmé : le dossier a changé", "warn") : pastille("à jour", "ok"))));
  }
  if (!state.articles.length) {
    articles.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "Aucun article : « Rédiger » un dossier.")));
  }
  const editions = $("#editions");
  editions.replaceChildren(...state.editions.map((e) => el("li", {},
    el("a", { href: `/palmares?chemin=${encodeURIComponent(e.path)}` }, e.path), " ",
    e.ok ? pastille(`${e.year} · ${e.laureates} lauréat(s), ${e.drafted} article(s) rédigé(s)`,
      e.drafted === e.laureates ? "ok" : "warn")
      : [pastille("invalide", "err"), el("div", { class: "muted" }, e.error)])));
  if (!state.editions.length) editions.append(el("li", { class: "muted" }, "Aucune édition."));
}

async function draft(dossier) {
  try {
    const done = await post("/api/rediger", { dossier });
    location.href = `/article?chemin=${encodeURIComponent(done.article)}`;
  } catch (error) { failed(error); }
}

/* --- dossier editor ------------------------------------------------------------------- */

const Editor = {
  schema: null, help: {}, state: null, timer: null, pending: Promise.resolve(),

  start() {
    this.schema = DATA.schema.schema;
    this.help = DATA.schema.help;
    this.state = DATA.dossier;
    $("#chemin").value = this.state.path;
    $("#titre-dossier").textContent = this.state.new ? "Nouveau dossier" : `Dossier ${this.state.path}`;
    $("#yaml").value = this.state.text;
    $("#yaml").addEventListener("input", () => this.later(() => this.checkSource(true)));
    $("#enregistrer").addEventListener("click", () => this.save());
    $("#rediger").addEventListener("click", () => this.draft());
    this.renderForm(this.state.data);
    this.showProblems(this.state.problems);
    this.showInferred(this.state.inferred);
  },

  later(work) { clearTimeout(this.timer); this.timer = setTimeout(work, 250); },

  resolve(schema) {
    while (schema && schema.$ref) schema = this.schema.$defs[schema.$ref.split("/").pop()];
    if (schema && schema.anyOf) {
      const inner = schema.anyOf.find((s) => s.type !== "null");
      return { ...this.resolve(inner), nullable: true };
    }
    return schema || {};
  },

  key(loc) { return loc.filter((p) => typeof p === "string").join("."); },

  info(loc) {
    const key = this.key(loc);
    return this.help[key] || this.help[loc.filter((p) => typeof p === "string").slice(-1)[0]] || {};
  },

  fieldId(loc) { return "f-" + loc.join("-"); },

  renderForm(data) {
    const root = $("#champs");
    const focused = document.activeElement && document.activeElement.id;
    root.replaceChildren();
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      root.append(el("p", { class: "muted" }, "Le formulaire revient dès que la source YAML se lit."));
      return;
    }
    const top = this.resolve(this.schema);
    for (const [name, sub] of Object.entries(top.properties)) root.append(this.field(sub, [name], data[name]));
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  },

  field(schema, loc, value) {
    const s = this.resolve(schema);
    const info = this.info(loc);
    const label = info.label || String(loc[loc.length - 1]);
    const id = this.fieldId(loc);
    if (info.widget !== "text" && s.type === "object" && s.properties) {
      const box = el("fieldset", { id, "data-loc": JSON.stringify(loc) }, el("legend", {}, label));
      if (info.help) box.append(el("p", { class: "aide" }, info.help));
      const current = value && typeof value === "object" ? value : {};
      for (const [name, sub] of Object.entries(s.properties)) box.append(this.field(sub, [...loc, name], current[name]));
      box.append(el("p", { class: "erreur", id: `${id}-erreur`, hidden: true }));
      return box;
    }
    if (s.type === "array") {
      const items = Array.isArray(value) ? value : [];
      const box = el("fieldset", { id, "data-loc": JSON.stringify(loc) }, el("legend", {}, label));
      if (info.help) box.append(el("p", { class: "aide" }, info.help));
      items.forEach((item, i) => {
        const inner = this.field(s.items, [...loc, i], item);
        box.append(el("div", { class: "item" }, el("div", { class: "contenu" }, inner),
          el("button", { type: "button", class: "secondaire petit", "aria-label": `Retirer ${label} ${i + 1}`,
            onclick: () => this.set([...loc, i], null, true) }, "Retirer")));
      });
      const itemSchema = this.resolve(s.items);
      const blank = itemSchema.type === "object" ? this.blank(itemSchema) : "…";
      box.append(el("button", { type: "button", class: "secondaire petit",
        onclick: () => this.set([...loc, items.length], blank, true) }, `Ajouter (${label})`));
      box.append(el("p", { class: "erreur", id: `${id}-erreur`, hidden: true }));
      return box;
    }
    const wrap = el("div", { class: "champ", "data-loc": JSON.stringify(loc) });
    const helpId = info.help ? `${id}-aide` : null;
    const described = [helpId, `${id}-erreur`].filter(Boolean).join(" ");
    let input;
    const shown = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    const grammar = ["gender", "number"].includes(loc[loc.length - 1]);
    if (s.enum) {
      input = el("select", { id, "aria-describedby": described,
        "data-deduit": grammar ? JSON.stringify(loc) : null },
        el("option", { value: "" }, "—"),
        ...s.enum.map((option) => el("option", { value: option, selected: String(value) === String(option) }, option)));
    } else if (s.type === "boolean") {
      input = el("input", { id, type: "checkbox", checked: value === true, "aria-describedby": described });
      input.style.width = "auto";
    } else if ((s.maxLength || 0) >= 2000) {
      input = el("textarea", { id, rows: 2, "aria-describedby": described });
      input.value = shown;
    } else {
      const numeric = s.type === "integer" || s.type === "number";
      input = el("input", { id, type: "text", inputmode: numeric ? "decimal" : null, "aria-describedby": described });
      input.value = shown;
    }
    const read = () => {
      if (s.type === "boolean") return input.checked;
      const raw = input.value.trim();
      if (raw === "") return null;
      if ((s.type === "integer" || s.type === "number") && /^-?\d+([.,]\d+)?$/.test(raw)) return Number(raw.replace(",", "."));
      return input.value;
    };
    input.addEventListener(s.enum || s.type === "boolean" ? "change" : "input",
      () => this.later(() => this.set(loc, read(), false)));
    wrap.append(el("label", { for: id }, label), input);
    if (info.help) wrap.append(el("p", { class: "aide", id: helpId }, info.help));
    wrap.append(el("p", { class: "erreur", id: `${id}-erreur`, hidden: true }));
    return wrap;
  },

  blank(schema) {
    const out = {};
    for (const name of schema.required || []) {
      const sub = this.resolve(schema.properties[name]);
      out[name] = sub.type === "integer" || sub.type === "number" ? 0 : sub.enum ? sub.enum[0] : "…";
    }
    return out;
  },

  async set(loc, value, rerender) {
    try {
      const done = await post("/api/dossier/champ", { text: $("#yaml").value, loc, value });
      $("#yaml").value = done.text;
      await this.checkSource(rerender);
    } catch (error) { failed(error); }
  },

  async checkSource(rerender) {
    try {
      const done = await post("/api/dossier/verifier", { path: $("#chemin").value || "nouveau.yaml", text: $("#yaml").value });
      if (rerender) this.renderForm(done.data);
      this.showProblems(done.problems);
      this.showInferred(done.inferred);
      this.ok = done.ok;
    } catch (error) { failed(error); }
  },

  /* Gender and number left out are inferred when drafting: the blank choice says what
     will be used (and from what); choosing a value overrides it. */
  showInferred(inferred) {
    for (const select of document.querySelectorAll("select[data-deduit]")) {
      const loc = JSON.parse(select.dataset.deduit);
      const guess = (inferred || {})[loc.slice(0, -1).join(".")];
      const value = guess && guess[loc[loc.length - 1]];
      select.options[0].textContent = value ? `— déduit : ${value} (${guess.source})` : "—";
    }
  },

  showProblems(problems) {
    for (const node of document.querySelectorAll(".invalide")) node.classList.remove("invalide");
    for (const node of document.querySelectorAll(".erreur")) { node.hidden = true; node.textContent = ""; }
    const box = $("#problemes");
    const status = $("#etat-dossier");
    if (!problems.length) {
      box.replaceChildren(el("p", { class: "pastille ok" }, "Dossier valide"));
      status.textContent = "Dossier valide.";
      return;
    }
    status.textContent = `${problems.length} problème(s) à corriger.`;
    const list = el("ul");
    for (const p of problems) {
      const target = this.target(p.field);
      list.append(el("li", {}, el("button", { type: "button", class: "secondaire petit",
        onclick: () => this.goTo(p, target) }, `ligne ${p.line}`), " ", el("code", {}, p.text)));
      if (target) {
        const error = document.getElementById(`${target.id || target.querySelector("[id]").id}-erreur`)
          || target.querySelector(".erreur");
        target.classList.add("invalide");
        if (error) { error.hidden = false; error.textContent = `${p.message} (ligne ${p.line}, colonne ${p.column})`; }
      }
    }
    box.replaceChildren(el("h3", {}, "Problèmes"), list);
  },

  target(field) {
    if (!field) return null;
    const loc = [];
    for (const part of field.split(/\.|\[|\]/).filter(Boolean)) loc.push(/^\d+$/.test(part) ? Number(part) : part);
    for (let end = loc.length; end > 0; end--) {
      const node = document.querySelector(`[data-loc='${JSON.stringify(loc.slice(0, end))}']`);
      if (node) return node;
    }
    return null;
  },

  goTo(problem, target) {
    const input = target && target.querySelector("input, select, textarea");
    if (input) { input.focus(); return; }
    const area = $("#yaml");
    const lines = area.value.split("\n");
    let offset = 0;
    for (let i = 0; i < problem.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(offset + problem.column - 1, offset + problem.column - 1);
  },

  async save() {
    clearAlerte();
    const path = $("#chemin").value.trim();
    if (!path) { alerte("Indiquez le fichier du dossier (par exemple 2020/ma-ville.yaml)."); $("#chemin").focus(); return; }
    try {
      const done = await post("/api/dossier/enregistrer", { path, text: $("#yaml").value, version: this.state.version });
      this.state = { ...this.state, path: done.path, version: done.version, new: false };
      history.replaceState(null, "", `/dossier?chemin=${encodeURIComponent(done.path)}`);
      $("#titre-dossier").textContent = `Dossier ${done.path}`;
      this.showProblems(done.problems);
      alerte(done.ok ? `Enregistré : ${done.path}.` : `Enregistré : ${done.path} — il reste des problèmes à corriger avant de rédiger.`, { info: true });
    } catch (error) { failed(error); }
  },

  async draft() {
    await this.save();
    if (!this.state.new && $("#problemes .pastille.ok")) draft(this.state.path);
    else alerte("Corrigez d’abord les problèmes du dossier : la rédaction part d’un dossier valide.");
  },
};

/* --- article view and conversation ---------------------------------------------------- */

const Desk = {
  state: null,

  start() {
    this.state = DATA.article;
    this.render();
    $("#demande").addEventListener("submit", (event) => { event.preventDefault(); this.ask(); });
    $("#message").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); this.ask(); }
    });
    this.say("assistant", [el("p", {}, `Rédacteur : ${this.state.writer}. Demandez par exemple « Raccourcis le chapô », « réécris l’intertitre 2 », ou /help.`)]);
  },

  render() {
    const a = this.state;
    $("#article-info").replaceChildren(`${a.path} · dossier ${a.dossier} · `,
      a.stale ? pastille("périmé : le dossier a changé depuis la rédaction", "warn") : pastille("à jour", "ok"));
    const root = $("#article");
    root.replaceChildren();
    for (const s of a.sections) root.append(this.section(s));
  },

  section(s) {
    const box = el("section", { class: `section ${s.edited ? "modifiee" : ""}`, id: `s-${s.kind}`, "aria-label": s.name, "data-kind": s.kind });
    const marked = this.marked(s);
    switch (s.kind) {
      case "prize_label": box.append(el("p", { class: "kicker" }, s.text)); break;
      case "headline": box.append(el("h1", {}, ...marked)); break;
      case "lead": box.append(el("p", { class: "lead" }, ...marked)); break;
      case "caption": box.append(el("p", { class: "caption" }, ...marked)); break;
      default:
        if (s.intertitle) box.append(el("h2", {}, s.intertitle));
        box.append(...this.paragraphs(marked));
    }
    s.findings.forEach((f, i) => box.append(this.finding(s, f, i)));
    if (s.kind !== "prize_label") box.append(this.meta(s));
    return box;
  },

  marked(s) {
    const parts = [];
    let at = 0;
    s.findings.forEach((f, i) => {
      if (f.start === null || f.start < at || f.end <= f.start) return;
      parts.push(s.text.slice(at, f.start));
      parts.push(el("mark", { class: `${f.severity} ${f.checker}`, title: f.message, "aria-describedby": `r-${s.kind}-${i}` }, s.text.slice(f.start, f.end)));
      at = f.end;
    });
    parts.push(s.text.slice(at));
    return parts;
  },

  paragraphs(parts) {
    const out = [];
    let current = el("p");
    for (const part of parts) {
      if (typeof part !== "string") { current.append(part); continue; }
      const chunks = part.split(/\n\s*\n/);
      chunks.forEach((chunk, i) => {
        if (i > 0) { out.push(current); current = el("p"); }
        current.append(chunk);
      });
    }
    out.push(current);
    return out;
  },

  finding(s, f, i) {
    const labels = { error: "erreur", warning: "avertissement", suggestion: "suggestion" };
    const box = el("div", { class: "remarque", id: `r-${s.kind}-${i}`, role: "note" },
      pastille(f.checker === "facts" ? "faits" : labels[f.severity] || f.severity, f.severity === "error" ? "err" : "warn"),
      el("span", {}, f.excerpt ? `« ${f.excerpt} » : ${f.message}` : f.message),
      el("span", { class: "regle" }, f.rule));
    if (f.fixable) {
      box.append(el("button", { type: "button", class: "petit",
        "aria-label": `Corriger « ${f.excerpt} » en « ${f.suggestion} »`,
        onclick: () => this.fix(s, f) }, "Corriger"), el("span", { class: "muted" }, `→ « ${f.suggestion} »`));
    }
    return box;
  },

  meta(s) {
    const p = s.provenance;
    const when = p.created ? new Date(p.created).toLocaleString("fr-FR") : "";
    const meta = el("div", { class: "meta" },
      el("span", {}, `${s.name} · ${p.writer}${p.model ? " (" + p.model + ")" : ""} · ${when}`),
      s.edited ? pastille("modifiée à la main", "warn") : null,
      s.stale ? pastille("dossier changé depuis", "warn") : null,
      el("button", { type: "button", class: "secondaire", onclick: () => this.propose(s.kind, null) , "aria-label": `Régénérer : ${s.name}` }, "Régénérer"),
      el("button", { type: "button", class: "secondaire", onclick: (e) => this.edit(s, e.target.closest(".section")), "aria-label": `Modifier : ${s.name}` }, "Modifier"));
    if (s.history.length) {
      meta.append(el("button", { type: "button", class: "secondaire", "aria-label": `Annuler la dernière modification : ${s.name}`,
        onclick: () => this.undo(s) }, "Annuler"));
      const list = el("ol", {}, ...s.history.map((h) => el("li", {}, `${h.writer} · ${h.created ? new Date(h.created).toLocaleString("fr-FR") : ""} : ${h.text.slice(0, 140)}${h.text.length > 140 ? "…" : ""}`)));
      const details = el("details", { class: "historique" }, el("summary", {}, `Historique (${s.history.length})`), list);
      meta.append(details);
    }
    return meta;
  },

  use(done) {
    if (done.article) { this.state = done.article; this.render(); }
  },

  async fix(s, f) {
    clearAlerte();
    try {
      this.use(await post("/api/article/corriger", { article: this.state.path, section: s.kind, start: f.start, end: f.end, rule: f.rule, version: this.state.version }));
      this.say("assistant", [el("p", {}, `Corrigé dans ${s.name} : « ${f.excerpt} » → « ${f.suggestion} ».`)]);
    } catch (error) { failed(error); }
  },

  async undo(s) {
    clearAlerte();
    try {
      this.use(await post("/api/article/annuler", { article: this.state.path, section: s.kind, version: this.state.version }));
      this.say("assistant", [el("p", {}, `Version précédente de ${s.name} remise.`)]);
    } catch (error) { failed(error); }
  },

  edit(s, box) {
    const id = `edit-${s.kind}`;
    const form = el("form", { class: "edition" });
    if (["method", "details", "results"].includes(s.kind)) {
      const title = el("input", { id: `${id}-titre`, type: "text" });
      title.value = s.intertitle || "";
      form.append(el("label", { for: `${id}-titre` }, "Intertitre"), title);
    }
    const area = el("textarea", { id });
    area.value = s.text;
    form.append(el("label", { for: id }, `Texte : ${s.name}`), area,
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Enregistrer la section"),
        el("button", { type: "button", class: "secondaire", onclick: () => this.render() }, "Abandonner")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const title = form.querySelector(`#${id}-titre`);
      try {
        this.use(await post("/api/article/modifier", { article: this.state.path, section: s.kind, text: area.value, intertitle: title ? title.value : null, version: this.state.version }));
      } catch (error) { failed(error); }
    });
    box.replaceChildren(form);
    area.focus();
  },

  say(who, nodes) {
    const item = el("li", { class: who === "moi" ? "moi" : "assistant" }, ...nodes);
    $("#fil").append(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  },

  async ask() {
    const message = $("#message").value.trim();
    if (!message) return;
    $("#message").value = "";
    this.say("moi", [el("p", {}, message)]);
    await this.request({ article: this.state.path, message, version: this.state.version });
  },

  async propose(section, instruction) {
    this.say("moi", [el("p", {}, `Régénérer : ${section}`)]);
    await this.request({ article: this.state.path, message: `/regen ${section}${instruction ? " " + instruction : ""}`, version: this.state.version });
  },

  async request(body) {
    clearAlerte();
    try {
      const answer = await post("/api/article/demander", body);
      if (answer.job) this.follow(answer.job);
      else this.answer(answer);
    } catch (error) {
      this.say("assistant", [el("p", { class: "note" }, error.message)]);
      failed(error);
    }
  },

  follow(job) {
    const item = this.say("assistant", [el("p", { class: "muted" }, "Le modèle écrit…"), el("div", { class: "diff", "aria-live": "off" })]);
    const live = item.querySelector(".diff");
    const source = new EventSource(`/api/jobs/${job}`);
    source.addEventListener("delta", (event) => { live.textContent += JSON.parse(event.data).text; });
    source.addEventListener("status", (event) => { item.firstChild.textContent = JSON.parse(event.data).message; });
    source.addEventListener("done", (event) => { source.close(); item.remove(); this.answer(JSON.parse(event.data).answer); });
    source.addEventListener("error", (event) => {
      source.close();
      let message = "La connexion au serveur a été perdue.";
      try { message = JSON.parse(event.data).message; } catch (_) { /* a network error */ }
      item.replaceChildren(el("p", { class: "note" }, message));
    });
  },

  answer(answer) {
    if (answer.text) this.say("assistant", answer.text.split("\n\n").map((t) => el("p", {}, t)));
    if (answer.findings && answer.findings.length) {
      this.say("assistant", [el("ul", {}, ...answer.findings.map((f) => el("li", {}, `${f.section || ""} ${f.severity} ${f.rule} : ${f.message}`)))]);
    }
    if (answer.article) this.use(answer);
    if (answer.proposal) this.proposal(answer);
  },

  proposal(p) {
    const diff = el("div", { class: "diff", "aria-label": `Modification proposée : ${p.name}` });
    for (const [op, text] of p.diff) {
      diff.append(op === "=" ? text : el(op === "+" ? "ins" : "del", {}, text));
    }
    const remaining = p.remaining.length
      ? el("ul", {}, ...p.remaining.map((f) => el("li", {}, `${f.severity} ${f.rule} : ${f.message}`)))
      : el("p", { class: "muted" }, "Aucune remarque restante.");
    const accept = el("button", { type: "button" }, "Accepter");
    const refuse = el("button", { type: "button", class: "secondaire" }, "Refuser");
    const status = el("p", { role: "status" });
    const item = this.say("assistant", [
      el("p", {}, el("strong", {}, `Proposition pour ${p.name}`), ` (${p.writer === "offline" ? "rédacteur hors ligne" : p.writer})`),
      p.note ? el("p", { class: "note" }, p.note) : null,
      p.same ? el("p", { class: "note" }, "Le texte proposé est identique à l’actuel.") : null,
      diff, el("p", { class: "muted" }, "Remarques restantes :"), remaining,
      el("div", { class: "actions" }, accept, refuse), status]);
    const close = (message) => { accept.disabled = refuse.disabled = true; status.textContent = message; };
    accept.addEventListener("click", async () => {
      try {
        this.use(await post("/api/article/accepter", { proposal: p.proposal }));
        close("Acceptée : l’article est enregistré.");
      } catch (error) { status.textContent = error.message; failed(error); }
    });
    refuse.addEventListener("click", async () => {
      try { await post("/api/article/refuser", { proposal: p.proposal }); close("Refusée : rien n’a changé."); }
      catch (error) { failed(error); }
    });
    accept.focus();
    return item;
  },
};

/* --- palmarès ------------------------------------------------------------------------- */

function palmaresPage() {
  const select = $("#edition");
  for (const edition of DATA.editions) select.append(el("option", { value: edition, selected: edition === DATA.chosen }, edition));
  if (!DATA.editions.length) select.append(el("option", { value: "" }, "aucune édition dans l’espace de travail"));
  $("#construire").addEventListener("submit", async (event) => {
    event.preventDefault();
    clearAlerte();
    const button = $("#construire button");
    button.disabled = true;
    $("#resultat").hidden = true;
    $("#progression").hidden = false;
    $("#progression-texte").textContent = "Démarrage…";
    try {
      const started = await post("/api/palmares/construire", { edition: select.value });
      const source = new EventSource(`/api/jobs/${started.job}`);
      source.addEventListener("progress", (e) => {
        const p = JSON.parse(e.data);
        $("#barre").max = p.total || 1;
        $("#barre").value = p.done;
        $("#progression-texte").textContent = p.text;
      });
      source.addEventListener("done", (e) => {
        source.close();
        const d = JSON.parse(e.data);
        $("#barre").value = $("#barre").max;
        $("#progression-texte").textContent = d.text;
        $("#apercu").src = d.preview;
        $("#export-md").href = d.markdown;
        $("#export-html").href = d.html;
        $("#resultat").hidden = false;
        button.disabled = false;
      });
      source.addEventListener("error", (e) => {
        source.close();
        let message = "La connexion au serveur a été perdue.";
        try { message = JSON.parse(e.data).message; } catch (_) { /* network */ }
        $("#progression-texte").textContent = message;
        alerte(message);
        button.disabled = false;
      });
    } catch (error) { failed(error); button.disabled = false; }
  });
}

const PAGES = { espace: workspacePage, dossier: () => Editor.start(), article: () => Desk.start(), palmares: palmaresPage };
document.addEventListener("DOMContentLoaded", () => { $("#alerte").tabIndex = -1; (PAGES[document.body.dataset.page] || (() => {}))(); });
