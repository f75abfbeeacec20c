"use strict";
/* Draws a view as `kg.draw.network_data` gives it, with vis-network: used by the app's graph pages and by
   `kg.draw.interactive_html`. Every value from the data is shown as text (textContent), never parsed as HTML. */

/** A tooltip element holding `text` as plain text (vis-network would otherwise accept HTML elements only). */
function textElement(text) {
  const element = document.createElement("div");
  element.className = "tooltip-text";
  element.style.whiteSpace = "pre-line";
  element.textContent = text;
  return element;
}

/** The items with each string `title` made a text element. */
function withTextTitles(items) {
  return items.map((item) => (typeof item.title === "string" ? { ...item, title: textElement(item.title) } : item));
}

/** Draw `data` in `container`; physics stops once stabilised (data-physics="off" tells when). */
function draw(container, data) {
  const nodes = new vis.DataSet(withTextTitles(data.nodes));
  const edges = new vis.DataSet(withTextTitles(data.edges));
  const network = new vis.Network(container, { nodes, edges }, data.options);
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });
    container.dataset.physics = "off";
  });
  return { network, nodes };
}
