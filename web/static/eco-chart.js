// Interactive station charts (eco module). The station page renders every chart as inline SVG
// on the server, so it reads without JavaScript and on a weak link. When the charts come into
// view, and the browser has not asked to save data, this script fetches Apache ECharts (its
// "common" build, cached for a year) and replaces each SVG with a chart that has a tooltip
// and zoom. Times are shown in Beijing time whatever the browser's zone, as the tables are.
(function () {
  "use strict";
  const box = document.querySelector(".charts[data-echarts]");
  if (!box) return;
  if (navigator.connection && navigator.connection.saveData) return;

  const lang = box.dataset.lang || "zh-CN";
  const pad = (n) => String(n).padStart(2, "0");
  // Beijing is UTC+8 all year (no daylight saving), so a fixed offset is exact.
  const beijing = (ms) => new Date(ms + 8 * 3600 * 1000);
  const dayText = (ms) => {
    const d = beijing(ms);
    return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  };
  const timeText = (ms) => {
    const d = beijing(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };
  const axisText = (ms) => {
    const d = beijing(ms);
    return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? dayText(ms) : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };

  // Points further apart than the page's gap are not joined: a null value breaks the line,
  // as the SVG chart does.
  function withGaps(points, gap) {
    const out = [];
    for (let i = 0; i < points.length; i++) {
      if (i > 0 && points[i][0] - points[i - 1][0] > gap) out.push([points[i - 1][0] + 1, null]);
      out.push(points[i]);
    }
    return out;
  }

  function draw() {
    const charts = [];
    for (const fig of box.querySelectorAll("figure[data-points]")) {
      let points;
      try {
        points = JSON.parse(fig.dataset.points);
      } catch (_) {
        continue;
      }
      if (!Array.isArray(points) || points.length === 0) continue;
      const unit = fig.dataset.unit || "";
      const values = points.map((p) => p[1]);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const name = fig.dataset.name || "";
      const el = document.createElement("div");
      el.className = "echart";
      const svg = fig.querySelector("svg");
      if (svg) svg.replaceWith(el);
      else fig.appendChild(el);
      const chart = echarts.init(el, null, { renderer: "svg", locale: lang === "zh-CN" ? "ZH" : "EN" });
      chart.setOption({
        animation: false,
        aria: { enabled: true, label: { description: `${name} (${unit})` } },
        grid: { left: 48, right: 12, top: 24, bottom: points.length > 48 ? 52 : 24 },
        tooltip: {
          trigger: "axis",
          confine: true,
          formatter: (items) => {
            const p = items.find((i) => i.value[1] !== null);
            return p ? `${timeText(p.value[0])}<br>${name}: <b>${p.value[1]}</b> ${unit}` : "";
          },
        },
        xAxis: { type: "time", axisLabel: { formatter: axisText, hideOverlap: true } },
        // Concentrations read best from zero when the range allows (the SVG chart's rule);
        // otherwise (pH, temperature) the axis fits the values.
        yAxis: { type: "value", name: unit, nameTextStyle: { align: "left" }, scale: !(lo > 0 && lo < hi * 0.5) },
        dataZoom: points.length > 48 ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 8, labelFormatter: timeText }] : [],
        series: [{
          type: "line",
          name,
          data: withGaps(points, Number(fig.dataset.gap) || Infinity),
          showSymbol: points.length <= 48,
          symbolSize: 4,
          lineStyle: { width: 1.6, color: "#0b6e8a" },
          itemStyle: { color: "#0b6e8a" },
          areaStyle: { color: "rgba(11,110,138,0.08)" },
        }],
      });
      fig.dataset.rendered = "echarts";
      charts.push(chart);
    }
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  }

  function load() {
    const s = document.createElement("script");
    s.src = box.dataset.echarts;
    s.onload = draw; // On failure the SVG charts simply stay.
    document.head.appendChild(s);
  }

  if ("IntersectionObserver" in window) {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        load();
      }
    }, { rootMargin: "200px" });
    seen.observe(box);
  } else {
    load();
  }
})();
