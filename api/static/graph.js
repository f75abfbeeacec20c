"use strict";
/* The graph page: draws the view in #graph-data (with `draw` of /assets/kg/draw.js), finds nodes, shows a
   node's details. Every value from the data is shown as text (textContent), never parsed as HTML. */

/** Fill the side panel with a node's label, its rows in words (a row's link opens in a new tab) and a link to
    its page. */
function showDetails(panel, node) {
  const title = document.createElement("h2");
  title.textContent = node.label;
  const list = document.createElement("dl");
  for (const [term, text, url] of node.details) {
    const name = document.createElement("dt");
    const description = document.createElement("dd");
    name.textContent = term;
    if (url) {
      const link = Object.assign(document.createElement("a"), { href: url, rel: "noreferrer", target: "_blank" });
      link.className = "wikidata";
      link.textContent = text;
      description.append(link);
    } else {
      description.textContent = text;
    }
    list.append(name, description);
  }
  const link = document.createElement("a");
  link.href = node.href;
  link.className = "page";
  link.textContent = "Open its page";
  panel.replaceChildren(title, list, link);
}

/** The node whose label is `text` (any case), else the first whose label contains it. */
function findNode(nodes, text) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return null;
  const all = nodes.get();
  return all.find((n) => n.label.toLowerCase() === wanted) || all.find((n) => n.label.toLowerCase().includes(wanted));
}

/** Select a node, zoom to it and show its details. */
function focusNode(graph, panel, id) {
  graph.network.selectNodes([id]);
  graph.network.focus(id, { scale: 1.5, animation: { duration: 300 } });
  showDetails(panel, graph.nodes.get(id));
}

/** Offer every label to the search box, and answer its searches. */
function setUpSearch(graph, panel) {
  const labels = document.getElementById("node-labels");
  labels.replaceChildren(...graph.nodes.get().map((n) => Object.assign(document.createElement("option"), { value: n.label })));
  const status = document.getElementById("search-status");
  document.getElementById("search").addEventListener("submit", (event) => {
    event.preventDefault();
    const found = findNode(graph.nodes, document.getElementById("search-box").value);
    status.textContent = found ? "" : "No node matches.";
    if (found) focusNode(graph, panel, found.id);
  });
}

function main() {
  const container = document.getElementById("graph");
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  if (!data.nodes.length) return;
  const panel = document.getElementById("details");
  const graph = draw(container, data);
  graph.network.on("selectNode", (params) => showDetails(panel, graph.nodes.get(params.nodes[0])));
  setUpSearch(graph, panel);
  window.kgGraph = graph;
}

main();
