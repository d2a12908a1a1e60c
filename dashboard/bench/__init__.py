"""The benchmark: `python -m dashboard bench [--incidents 1000000,10000000]`.

For each size it generates (or reuses) a demo data set under `bench-data/N/`
and measures, each phase in a process of its own so that peak memory is the
phase's own: the first render and a warm rerun after a filter change of every
page (`measure.pages`, through Streamlit's AppTest), each named query
(`measure.queries`), the map payload (`measure.map_payload`), the import of
every incident of the size (`measure.import_throughput`), the naive reference
implementation on the same data (`naive.map_page`), and what a person waits
for in a browser (`browser`). `runner` puts these together and checks issue
#18's targets (and #10's earlier ones); `report` prints the table.
"""
