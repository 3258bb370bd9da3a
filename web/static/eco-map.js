// The live station map (eco module). Leaflet draws Qinghai's bundled boundaries (no tile
// server) and the stations, coloured by their latest AQI category; it refreshes every minute.
// Without JavaScript the page shows the same stations as a table.
(function () {
  "use strict";
  const el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  el.hidden = false;
  const d = el.dataset;
  const labels = JSON.parse(d.labels || "{}");
  // HJ 633 Appendix A colours by level 1–6.
  const colours = ["#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023"];
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: true }).setView([35.7, 96.0], 5.5);
  map.attributionControl.setPrefix(false);
  fetch(d.geojson).then((r) => r.json()).then((geo) => {
    const layer = L.geoJSON(geo, {
      style: { color: "#0b6e8a", weight: 1.2, fillColor: "#e8f1f4", fillOpacity: 0.6 },
      onEachFeature: (f, l) => l.bindTooltip(f.properties.name, { sticky: true }),
      attribution: d.attribution,
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  });
  const markers = L.layerGroup().addTo(map);
  function text(s) {
    const span = document.createElement("span");
    span.textContent = s;
    return span.innerHTML;
  }
  function refresh() {
    Promise.all([fetch(d.stations).then((r) => r.json()), fetch(d.aqi).then((r) => r.json())]).then(([stations, aqi]) => {
      const byStation = new Map(aqi.map((a) => [a.station_id, a]));
      markers.clearLayers();
      for (const s of stations) {
        const a = byStation.get(s.id);
        const colour = a ? colours[a.level - 1] : "#8a99a3";
        const value = a ? (a.publishable ? a.aqi : "NA") + " " + (labels["level" + a.level] || "") : (labels.nodata || "");
        L.circleMarker([s.latitude, s.longitude], {
          radius: s.kind === "air" ? 7 : 6, color: "#1d2a33", weight: 1, fillColor: colour, fillOpacity: 0.95,
        })
          .bindPopup(`<strong><a href="/eco/stations/${encodeURIComponent(s.id)}">${text(s.name)}</a></strong><br>` +
            `${text(labels[s.kind] || s.kind)} · AQI ${text(String(value))}`)
          .addTo(markers);
      }
      const stamp = document.getElementById("map-updated");
      if (stamp) stamp.textContent = new Date().toLocaleTimeString();
    }).catch(() => {});
  }
  refresh();
  setInterval(refresh, 60000);
})();
