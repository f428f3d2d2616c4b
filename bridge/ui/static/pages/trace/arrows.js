// Arrows from every reference (a variable or an element) to the heap box it points at, drawn in an
// SVG laid over the frames and the heap. Positions come from the laid-out boxes, so they are drawn
// again whenever the layout changes (a new step, a resize, a scroll inside the drawing).
import { svg } from '/ui/js/dom.js';
import { heapBoxId } from './values.js';

export function createArrowLayer() {
  const layer = svg('svg', { class: 'trace-arrows', 'aria-hidden': 'true', focusable: 'false' });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'trace-arrowhead', viewBox: '0 0 10 10', refX: '9', refY: '5',
    markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'trace-arrowhead' }));
  defs.append(marker);
  layer.append(defs);
  return layer;
}

// Redraws every arrow of `drawing` (the element holding frames, heap and the layer).
export function drawArrows(drawing, layer) {
  for (const old of layer.querySelectorAll('.trace-arrow')) old.remove();
  const origin = drawing.getBoundingClientRect();
  const width = Math.max(drawing.scrollWidth, drawing.clientWidth);
  const height = Math.max(drawing.scrollHeight, drawing.clientHeight);
  layer.setAttribute('width', String(width));
  layer.setAttribute('height', String(height));
  layer.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const offsetX = drawing.scrollLeft - origin.left;
  const offsetY = drawing.scrollTop - origin.top;
  for (const ref of drawing.querySelectorAll('.trace-ref[data-ref]')) {
    const target = drawing.querySelector(`#${heapBoxId(ref.dataset.ref)}`);
    if (!target) continue;
    const from = ref.getBoundingClientRect();
    const to = target.getBoundingClientRect();
    if (!from.width || !to.width) continue; // not laid out (hidden page)
    const start = { x: from.left + from.width / 2 + offsetX, y: from.top + from.height / 2 + offsetY };
    const box = {
      left: to.left + offsetX, right: to.right + offsetX, top: to.top + offsetY, bottom: to.bottom + offsetY,
    };
    layer.append(svg('path', {
      class: 'trace-arrow',
      d: pathBetween(start, box),
      'marker-end': 'url(#trace-arrowhead)',
      'data-source': ref.dataset.source || '',
      'data-target': target.id,
    }));
  }
}

// A curve from the reference's dot to the nearest point of the box's edge; a reference from inside
// its own box (an object that contains itself) loops out and back in at the top.
function pathBetween(start, box) {
  const inside = start.x >= box.left && start.x <= box.right && start.y >= box.top && start.y <= box.bottom;
  if (inside) {
    const endX = box.left + 12;
    const lift = start.y - box.top + 24;
    return `M ${start.x} ${start.y} C ${start.x} ${start.y - lift}, ${endX} ${box.top - 24}, ${endX} ${box.top}`;
  }
  const clamp = (value, low, high) => Math.min(Math.max(value, low), Math.max(low, high));
  if (start.x < box.left || start.x > box.right) {
    const end = { x: start.x < box.left ? box.left : box.right, y: clamp(start.y, box.top + 10, box.bottom - 10) };
    const bend = (end.x - start.x) / 2;
    return `M ${start.x} ${start.y} C ${start.x + bend} ${start.y}, ${end.x - bend} ${end.y}, ${end.x} ${end.y}`;
  }
  const end = { x: clamp(start.x, box.left + 10, box.right - 10), y: start.y < box.top ? box.top : box.bottom };
  const bend = (end.y - start.y) / 2;
  return `M ${start.x} ${start.y} C ${start.x} ${start.y + bend}, ${end.x} ${end.y - bend}, ${end.x} ${end.y}`;
}
