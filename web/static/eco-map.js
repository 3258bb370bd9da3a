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
  // Water classes I–V and worse than V (bulletin colours).
  const waterColours = ["#3F8FDB", "#3F8FDB", "#2EAD4B", "#F2D024", "#F08A24", "#D7263D"];
  const classLabels = ["I", "II", "III", "IV", "V", "劣V"];
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
    const json = (u) => fetch(u).then((r) => r.json());
    Promise.all([json(d.stations), json(d.aqi), json(d.water)]).then(([stations, aqi, water]) => {
      const byStation = new Map(aqi.map((a) => [a.station_id, a]));
      const waterBy = new Map(water.map((w) => [w.station_id, w]));
      markers.clearLayers();
      for (const s of stations) {
        const a = byStation.get(s.id);
        const w = waterBy.get(s.id);
        let colour = "#8a99a3";
        let value = labels.nodata || "";
        if (a) {
          colour = colours[a.level - 1];
          value = "AQI " + (a.publishable ? a.aqi : "NA") + " " + (labels["level" + a.level] || "");
        } else if (w) {
          colour = waterColours[w.class - 1];
          value = (labels.waterClass || "") + " " + classLabels[w.class - 1];
        }
        L.circleMarker([s.latitude, s.longitude], {
          radius: s.kind === "air" ? 7 : 6, dashArray: s.kind === "air" ? null : "2", color: "#1d2a33", weight: 1, fillColor: colour, fillOpacity: 0.95,
        })
          .bindPopup(`<strong><a href="/eco/stations/${encodeURIComponent(s.id)}">${text(s.name)}</a></strong><br>` +
            `${text(labels[s.kind] || s.kind)} · ${text(String(value))}`)
          .addTo(markers);
      }
      const stamp = document.getElementById("map-updated");
      if (stamp) stamp.textContent = new Date().toLocaleTimeString();
    }).catch(() => {});
  }
  refresh();
  setInterval(refresh, 60000);
})();
