"use strict";
/* The SPARQL editor: posts the query to /sparql and shows the results as a table (values as text only). */

const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

/** The page of an actor or event IRI of this graph, else null. */
function pageOf(iri, idBase) {
  for (const kind of ["entity", "event"]) {
    const prefix = `${idBase}${kind}/`;
    if (iri.startsWith(prefix)) return `/${kind}/${iri.slice(prefix.length)}`;
  }
  return null;
}

/** A table cell showing one bound value (a link when it is an actor or event of the graph). */
function cell(term, idBase) {
  const td = document.createElement("td");
  if (!term) return td;
  const page = term.type === "uri" ? pageOf(term.value, idBase) : null;
  const content = page ? Object.assign(document.createElement("a"), { href: page }) : td;
  content.textContent = term.value;
  if (page) td.append(content);
  return td;
}

/** A table of SELECT results. */
function resultsTable(json, idBase) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of json.head.vars) head.append(Object.assign(document.createElement("th"), { textContent: name }));
  const body = table.createTBody();
  for (const binding of json.results.bindings) {
    body.insertRow().append(...json.head.vars.map((name) => cell(binding[name], idBase)));
  }
  table.dataset.rowCount = String(json.results.bindings.length);
  return table;
}

/** Show a response: a table for SELECT, true/false for ASK, the text of a graph. */
async function show(response, results, idBase) {
  const type = response.headers.get("content-type") || "";
  if (!type.startsWith("application/sparql-results+json")) {
    results.replaceChildren(Object.assign(document.createElement("pre"), { textContent: await response.text() }));
    return "graph";
  }
  const json = await response.json();
  if ("boolean" in json) {
    results.replaceChildren(Object.assign(document.createElement("p"), { textContent: String(json.boolean) }));
    return "answer";
  }
  results.replaceChildren(resultsTable(json, idBase));
  return `${json.results.bindings.length} rows`;
}

/** The error detail of a failed request. */
async function errorText(response) {
  const text = await response.text();
  try {
    return JSON.parse(text).detail || text;
  } catch {
    return text;
  }
}

/** Run the editor's query and show its results or error. */
async function run(form) {
  const status = document.getElementById("query-status");
  const results = document.getElementById("results");
  status.textContent = "Running…";
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { Accept: ACCEPT },
    body: new URLSearchParams({ query: document.getElementById("query").value }),
  });
  if (!response.ok) {
    results.replaceChildren();
    status.textContent = `Error ${response.status}: ${await errorText(response)}`;
    return;
  }
  const summary = await show(response, results, form.dataset.idBase);
  const truncated = response.headers.get("X-Result-Truncated") === "true" ? " (cut to the result cap)" : "";
  status.textContent = summary + truncated;
}

const queryForm = document.getElementById("query-form");
queryForm.addEventListener("submit", (event) => {
  event.preventDefault();
  run(queryForm).catch((error) => {
    document.getElementById("query-status").textContent = `Error: ${error}`;
  });
});
