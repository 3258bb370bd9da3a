// The farm of origin on the traceability consumer page: Qinghai's bundled prefecture
// boundaries (no tile server, so it works on weak links) and one marker. Without JavaScript
// the page shows the farm's name, address and coordinates.
(function () {
  "use strict";
  const el = document.getElementById("trace-map");
  if (!el || typeof L === "undefined") return;
  el.hidden = false;
  const d = el.dataset;
  const at = [parseFloat(d.lat), parseFloat(d.lon)];
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: false }).setView(at, 6);
  fetch(d.geojson)
    .then((r) => (r.ok ? r.json() : null))
    .then((geo) => {
      if (geo) {
        L.geoJSON(geo, { style: { color: "#0b6e8a", weight: 1, fillColor: "#e8f1f4", fillOpacity: 0.6 } }).addTo(map);
      }
    })
    .catch(() => {});
  L.circleMarker(at, { radius: 8, color: "#b5422a", fillColor: "#e0603f", fillOpacity: 0.9 })
    .addTo(map)
    .bindTooltip(d.name, { permanent: true, direction: "top" });
})();
