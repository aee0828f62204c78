// Draws every <canvas data-chart> from its data-* attributes (JSON written by the server: dates and numbers only).
(function () {
  'use strict';
  const colors = { answered: '#15803d', declined: '#b91c1c', p50: '#2563eb', p95: '#f59e0b', up: '#15803d', down: '#b91c1c' };
  function draw(canvas) {
    const labels = JSON.parse(canvas.dataset.labels);
    const series = JSON.parse(canvas.dataset.series);
    const kind = canvas.dataset.chart;
    const chart = new Chart(canvas, {
      type: kind === 'latency' ? 'line' : 'bar',
      data: {
        labels: labels,
        datasets: series.map(s => ({ label: s.label, data: s.data, backgroundColor: colors[s.key], borderColor: colors[s.key], spanGaps: true, pointRadius: 2 }))
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { position: 'top' }, title: { display: true, text: canvas.dataset.title } },
        scales: {
          x: { stacked: kind !== 'latency', title: { display: true, text: canvas.dataset.xtitle } },
          y: { stacked: kind !== 'latency', beginAtZero: true, title: { display: true, text: canvas.dataset.ytitle } }
        }
      }
    });
    canvas.dataset.drawn = String(series.reduce((n, s) => n + s.data.length, 0));
    return chart;
  }
  function init() { document.querySelectorAll('canvas[data-chart]').forEach(draw); }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
