// A plotly chart that updates in place (see ui/charts.py).
//
// Streamlit calls this function when the chart is mounted and again with every new figure for the same key.
// The first call creates the plot; later calls hand the figure to Plotly.react on the same element, which
// redraws only what changed and keeps the reader's zoom (the figures set layout.uirevision). A chart out of
// sight is drawn when it scrolls into view: a rerun redraws only the charts the reader can see.

const LOADED = "__pfpPlotly"; // one load of plotly.js per browser tab, shared by every chart

function loadPlotly(src) {
  if (!window[LOADED]) {
    window[LOADED] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error(`plotly.js did not load from ${src}`));
      document.head.appendChild(script);
    });
  }
  return window[LOADED];
}

// The app's theme (light or dark, its font) as a plotly template: transparent backgrounds, the app's text
// colour for text, and grid lines in a faint shade of it.
function template(element) {
  const css = getComputedStyle(element); // the element inherits the app's colours and font
  const text = css.color; // "rgb(r, g, b)", a form plotly reads
  const font = css.getPropertyValue("--st-font").trim() || css.fontFamily;
  const grid = text.replace("rgb(", "rgba(").replace(")", ", 0.14)");
  const axis = { gridcolor: grid, zerolinecolor: grid, linecolor: grid, automargin: true };
  return {
    layout: {
      font: { family: font, color: text },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: axis,
      yaxis: axis,
      hoverlabel: { font: { family: font } },
    },
  };
}

// Run draw() now if the element is on screen (or about to be), else when it scrolls into view; a newer
// draw() replaces one still waiting.
function whenVisible(element, draw) {
  element.pfpPending = draw;
  if (!element.pfpSeen) {
    element.pfpSeen = new IntersectionObserver((entries) => {
      element.pfpVisible = entries[entries.length - 1].isIntersecting;
      if (element.pfpVisible && element.pfpPending) {
        const pending = element.pfpPending;
        element.pfpPending = null;
        pending();
      }
    }, { rootMargin: "100px" });
    element.pfpSeen.observe(element); // its first report comes at once, with whether the element is visible
  } else if (element.pfpVisible) {
    element.pfpPending = null;
    draw();
  }
}

export default function ({ data, parentElement, setTriggerValue }) {
  const plot = parentElement.querySelector(".pfp-chart");
  const figure = JSON.parse(data.figure);
  figure.layout.template = template(plot);
  plot.style.height = `${figure.layout.height || 450}px`;
  plot.pfpClick = setTriggerValue; // the newest callback, for the handler bound once below
  whenVisible(plot, () => loadPlotly(data.plotly).then((Plotly) => {
    const config = { displaylogo: false, responsive: true, ...data.config };
    return Plotly.react(plot, figure.data, figure.layout, config).then(() => {
      if (data.clickable && !plot.pfpBound) {
        plot.pfpBound = true;
        plot.on("plotly_click", (event) => {
          const point = event.points[0];
          plot.pfpClick("click", { x: point.x, y: point.y });
        });
      }
      if (!plot.pfpResize) { // a column can change width without the window doing so
        plot.pfpResize = new ResizeObserver(() => Plotly.Plots.resize(plot));
        plot.pfpResize.observe(plot);
      }
    });
  }).catch((error) => {
    plot.textContent = `This chart could not be drawn: ${error.message}`;
  }));
  return () => {
    if (plot.pfpSeen) plot.pfpSeen.disconnect();
    if (plot.pfpResize) plot.pfpResize.disconnect();
    if (window.Plotly) window.Plotly.purge(plot);
  };
}
