"use strict";
/* Draws a view as `kg.draw.network_data` gives it, with vis-network: used by the app's graph pages and by
   `kg.draw.interactive_html`. Every value from the data is shown as text (textContent), never parsed as HTML.
   Labels keep one size on screen whatever the zoom, and a label that would overlap one of a more central node
   is hidden (until zooming in makes room): no two drawn labels overlap. */

const LABEL_PX = 14;
const LABEL_GAP_PX = 3;
const HIDDEN = "rgba(0,0,0,0)";

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

/** Whether two boxes ({left, right, top, bottom}) overlap. */
function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** The box a node's label takes on screen: centred under the node, `LABEL_PX` high. */
function labelBox(network, node, position, measure) {
  const scale = network.getScale();
  const centre = network.canvasToDOM(position);
  const width = measure.measureText(node.label).width;
  const top = centre.y + (node.size || 0) * scale + LABEL_GAP_PX;
  return { left: centre.x - width / 2, right: centre.x + width / 2, top, bottom: top + LABEL_PX * 1.2 };
}

/** Show the labels that fit, the most central nodes first; hide the others (their tooltip still names them). */
function placeLabels(network, nodes) {
  const scale = network.getScale();
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = `${LABEL_PX}px arial`;
  const positions = network.getPositions();
  const placed = [];
  const shown = new Set();
  const order = nodes.get().sort((a, b) => (b.size || 0) - (a.size || 0));
  for (const node of order) {
    const box = labelBox(network, node, positions[node.id], measure);
    if (!placed.some((other) => overlaps(box, other))) {
      placed.push(box);
      shown.add(node.id);
    }
  }
  const size = LABEL_PX / scale;
  nodes.update(order.map((n) => ({ id: n.id, font: { size, color: shown.has(n.id) ? "#222222" : HIDDEN } })));
  return shown;
}

/** Draw `data` in `container`; physics stops once stabilised (data-physics="off" tells when), then labels are
    placed, and placed again after each zoom or drag. */
function draw(container, data) {
  const nodes = new vis.DataSet(withTextTitles(data.nodes));
  const edges = new vis.DataSet(withTextTitles(data.edges));
  const network = new vis.Network(container, { nodes, edges }, data.options);
  const graph = { network, nodes, labelsShown: new Set() };
  let pending = null;
  const relabel = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      graph.labelsShown = placeLabels(network, nodes);
      container.dataset.labels = String(graph.labelsShown.size);
    }, 60);
  };
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    graph.labelsShown = placeLabels(network, nodes);
    container.dataset.labels = String(graph.labelsShown.size);
    container.dataset.physics = "off";
    network.on("zoom", relabel);
    network.on("dragEnd", relabel);
  });
  return graph;
}
