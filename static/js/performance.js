// Performance (SAKIP) pages. No inline scripts: behaviour hangs on data-* attributes.
(function () {
  "use strict";

  function number(value) {
    return value === null || value === undefined
      ? "-"
      : value.toLocaleString("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  // The five-year chart: <canvas data-chart-url="..."> gets its figures as JSON.
  function drawTrend(canvas) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    fetch(canvas.getAttribute("data-chart-url"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var datasets = [
          { label: data.labels.capaian, data: data.capaian, borderColor: "#0d6efd", backgroundColor: "#0d6efd", tension: 0.2, spanGaps: true },
          { label: data.labels.absorption, data: data.absorption, borderColor: "#198754", backgroundColor: "#198754", borderDash: [6, 4], tension: 0.2, spanGaps: true },
        ];
        var palette = ["#6f42c1", "#fd7e14", "#20c997", "#d63384", "#6c757d"];
        data.indicators.forEach(function (indicator, index) {
          datasets.push({
            label: indicator.code + " " + indicator.name,
            data: indicator.capaian,
            borderColor: palette[index % palette.length],
            backgroundColor: palette[index % palette.length],
            borderWidth: 1,
            pointRadius: 2,
            hidden: true,
            spanGaps: true,
          });
        });
        canvas.setAttribute("data-chart-ready", "1");
        new window.Chart(canvas, {
          type: "line",
          data: { labels: data.years.map(String), datasets: datasets },
          options: {
            responsive: true,
            interaction: { mode: "index", intersect: false },
            scales: { y: { ticks: { callback: function (v) { return number(v) + "%"; } } } },
            plugins: {
              tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + number(c.parsed.y) + "%"; } } },
              legend: { position: "bottom" },
            },
          },
        });
      })
      .catch(function () {
        canvas.setAttribute("data-chart-ready", "error");
      });
  }

  // The indicator form: show only the owner field that matches the chosen level.
  function followLevel(select) {
    var form = select.form;
    function update() {
      form.querySelectorAll("[data-level-owner]").forEach(function (field) {
        var group = field.closest(".mb-3") || field.parentElement;
        group.hidden = field.getAttribute("data-level-owner") !== select.value;
      });
      var direction = form.querySelector("[name=direction]");
      var lower = form.querySelector("[name=lower_formula]");
      if (direction && lower) {
        (lower.closest(".mb-3") || lower.parentElement).hidden = direction.value !== "lower";
      }
    }
    select.addEventListener("change", update);
    var direction = form.querySelector("[name=direction]");
    if (direction) {
      direction.addEventListener("change", update);
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart-url]").forEach(drawTrend);
    document.querySelectorAll("select[data-indicator-level]").forEach(followLevel);
  });
})();
