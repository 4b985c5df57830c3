/* The manager dashboard's three charts, drawn with Chart.js from the JSON the page
   carries (#dashboard-charts). Each chart's figures are also in a table on the page. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = {
    blue: "#0d6efd",
    teal: "#20c997",
    green: "#198754",
    amber: "#ffc107",
    red: "#dc3545",
    grey: "#6c757d"
  };
  var base = {
    responsive: true,
    maintainAspectRatio: false,
    // Drawn at once: no animation to wait for, nothing moving for those who
    // asked for reduced motion.
    animation: false,
    plugins: { legend: { position: "bottom" } }
  };
  function options(extra) {
    return Object.assign({}, base, extra);
  }
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new window.Chart(canvas, config);
    }
  }

  draw("chart-placements", {
    type: "bar",
    data: {
      labels: data.placements.labels,
      datasets: [
        { label: "New clients", data: data.placements["new"], backgroundColor: colours.blue },
        { label: "Repeat clients", data: data.placements.repeat, backgroundColor: colours.teal }
      ]
    },
    options: options({
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
      }
    })
  });

  draw("chart-on-time", {
    type: "line",
    data: {
      labels: data.on_time.labels,
      datasets: [
        {
          label: "Done on time (%)",
          data: data.on_time.rate,
          borderColor: colours.blue,
          backgroundColor: colours.blue,
          spanGaps: true,
          tension: 0
        }
      ]
    },
    options: options({
      scales: {
        y: {
          min: 0,
          max: 100,
          ticks: {
            callback: function (value) {
              return value + "%";
            }
          }
        }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            afterLabel: function (context) {
              return data.on_time.done[context.dataIndex] + " done";
            }
          }
        }
      }
    })
  });

  draw("chart-health", {
    type: "bar",
    data: {
      labels: data.health.labels,
      datasets: [
        { label: "Clients", data: data.health.clients, backgroundColor: [colours.green, colours.amber, colours.red] },
        {
          label: "Placed candidates",
          data: data.health.candidates,
          backgroundColor: [colours.green, colours.amber, colours.red],
          borderColor: colours.grey,
          borderWidth: 2
        }
      ]
    },
    options: options({
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { display: false } }
    })
  });
})();
