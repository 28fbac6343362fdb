"""Sweeps: the fixed points and the optimum along one field (a bifurcation diagram), or a map over two."""

import json

import streamlit as st

from core import describe_diagram
from figures.sweep import diagram_figure, map_figure
from ui import state
from ui.charts import chart, page_html
from ui.components import export_row
from ui.compute import sweep_diagram, sweep_map
from ui.pages import explorer_for
from ui.sweep_controls import controls, plotted

st.title("Sweeps")
st.caption("Vary one number of the scenario and follow every fixed point along it (continuation: solid "
           "attracting, dashed repelling, dotted saddle; × where a pair is born, ○ where stability changes), "
           "or map a quantity over two numbers. [How this works](theory#fixed-points)")
scenario = state.scenario()
view = controls(scenario)
if not view:
    st.warning("This scenario has no number to vary.")
    state.stop_page()
try:
    if view["mode"] == "diagram":
        diagram = sweep_diagram(scenario.to_json(), view["param"], view["from"], view["to"], int(view["num"]))
    else:
        result = sweep_map(scenario.to_json(), (view["param"], view["from"], view["to"], int(view["num"])),
                           (view["param2"], view["from2"], view["to2"], int(view["num2"])), view["quantity"])
except ValueError as err:
    st.error(f"Cannot sweep: {err}", icon=":material/error:")
    state.stop_page()
if view["mode"] == "diagram":
    st.info(describe_diagram(diagram), icon=":material/lightbulb:")
    what, title = plotted(scenario, view)
    figure = diagram_figure(diagram, what, title)
    chart(figure, "sweep_diagram")
    csv, stem = diagram.to_csv(), f"sweep-{view['param']}"
else:
    figure = map_figure(result)
    clicked = chart(figure, "sweep_map", clickable=True)
    st.caption("Hover a cell for its value; click it to open that scenario on its page.")
    if clicked:
        try:
            cell = result.cell(clicked["x"], clicked["y"])
        except ValueError as err:
            st.warning(f"That cell has no scenario ({err}).")
        else:
            state.load(cell)
            state.write_url()
            st.switch_page(explorer_for(cell.n).file)
    csv, stem = result.to_csv(), f"map-{view['param']}-{view['param2']}"
left, right = st.columns(2)
left.download_button("Download the numbers (CSV)", csv.encode(), f"{stem}.csv", "text/csv", key="sweep_csv")
figure_key = json.dumps([scenario.to_json(), sorted(view.items())])
right.download_button("Download the figure (HTML)", page_html(figure_key, figure), f"{stem}.html", "text/html",
                      key="sweep_html")
export_row("sweep", stem)
