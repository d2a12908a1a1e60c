"""`init`: a data directory for any kommun, set up from nothing."""

import duckdb
import pytest
import shapely

from dashboard import db, geo, geography, init_data
from dashboard.check import check_data_dir
from dashboard.cli import main
from dashboard.seeds import reference

PAGES = ("oversikt", "karta", "loften", "indikatorer")


@pytest.fixture(scope="module")
def uppsala_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("init") / "data"
    assert main(["--data-dir", str(path), "init", "--kommun", "0380"]) == 0
    return path


def test_uppsala_gets_its_reference_row_boundary_and_focus_areas(uppsala_dir):
    assert check_data_dir(uppsala_dir) == []
    con = db.connect(uppsala_dir)
    muni = con.sql("SELECT * FROM municipalities").df()
    assert muni[["kommun_kod", "kommun"]].values.tolist() == [["0380", "Uppsala"]]
    assert muni["population"].isna().all() and muni["lpo"].isna().all()
    row = con.execute("SELECT kommun_kod, name, kind, ST_AsWKB(geometry) FROM boundaries").fetchall()
    assert [r[:3] for r in row] == [("0380", "Uppsala", "kommun")]
    outline = shapely.from_wkb(bytes(row[0][3]))
    assert outline.equals(geography.boundary("0380"))
    assert outline.contains(shapely.Point(muni.lon[0], muni.lat[0]))
    assert outline.contains(shapely.Point(17.638, 59.858))  # Uppsala's cathedral
    focus = con.sql("SELECT focus_area FROM focus_areas ORDER BY ALL").df()["focus_area"].tolist()
    assert focus == sorted(reference()["focus_areas"]["focus_area"])
    assert con.execute("SELECT count(*) FROM pledges").fetchone() == (0,)


def test_boundaries_are_geoparquet_in_wgs84(uppsala_dir):
    typ = duckdb.execute(f"SELECT typeof(geometry) FROM '{uppsala_dir / 'boundaries.parquet'}'").fetchone()[0]
    assert typ == "GEOMETRY('OGC:CRS84')"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_uppsala(render, uppsala_dir, page):
    at = render(uppsala_dir, page, query={"kommun": "0380"})
    assert not at.exception
    assert "Uppsala · Alla fokusområden" in " ".join(h.value for h in at.html)
    assert at.multiselect(key="f_kommun").options == ["Uppsala"]
    assert not at.error


def test_several_kommuner_by_any_name(tmp_path, capsys):
    path = tmp_path / "data"
    names = ["--kommun", "Lilla edet,Göteborgs Stad", "--kommun", "1494 Lidköping"]
    assert main(["--data-dir", str(path), "init", *names]) == 0
    assert "Lilla Edet (1462), Göteborg (1480), Lidköping (1494)" in capsys.readouterr().out
    codes = db.connect(path).sql("SELECT kommun_kod FROM boundaries ORDER BY 1").df()["kommun_kod"].tolist()
    assert codes == ["1462", "1480", "1494"]


def test_every_kommun_gets_a_plausible_centre_and_radius():
    rows = init_data.municipalities_frame(geography.kommuner())
    assert len(rows) == 290 and rows["kommun"].is_unique
    box = geo.SWEDEN_BBOX
    assert rows["lat"].between(box["lat_min"], box["lat_max"]).all()
    assert rows["lon"].between(box["lon_min"], box["lon_max"]).all()
    assert rows["radius_km"].between(1, 400).all()


def test_an_unknown_name_gets_one_line_with_close_names(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path / "data"), "init", "--kommun", "Uppsala", "--kommun", "Lidkoping"]) == 2
    err = capsys.readouterr().err
    assert err == "error: unknown kommun 'Lidkoping'; did you mean Lidköping, Linköping or Lidingö?\n"
    assert not (tmp_path / "data").exists()


def test_existing_data_is_replaced_only_with_force(uppsala_dir, tmp_path, capsys):
    path = tmp_path / "data"
    assert main(["--data-dir", str(path), "init", "--kommun", "0380"]) == 0
    assert main(["--data-dir", str(path), "init", "--kommun", "1494"]) == 2
    assert "use --force" in capsys.readouterr().err
    assert main(["--data-dir", str(path), "init", "--kommun", "1494", "--force"]) == 0
    assert db.connect(path).execute("SELECT kommun_kod FROM municipalities").fetchall() == [("1494",)]
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # nothing left beside it


def test_force_never_replaces_a_directory_of_other_files(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["--data-dir", str(tmp_path), "init", "--kommun", "0380", "--force"]) == 2
    assert "no Lägesbild data" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_failed_init_leaves_the_directory_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "data"
    init_data.init_data_dir(path, ["0380"])
    before = {p.name: p.read_bytes() for p in path.iterdir()}

    def fail(codes):
        raise OSError("disk full")

    monkeypatch.setattr(geography, "boundaries_table", fail)
    with pytest.raises(OSError):
        init_data.init_data_dir(path, ["1494"], force=True)
    assert {p.name: p.read_bytes() for p in path.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"]


def test_demo_data_has_the_seven_outlines(demo_dir):
    rows = db.connect(demo_dir).execute("SELECT kommun_kod, kind FROM boundaries ORDER BY 1").fetchall()
    assert rows == [(code, "kommun") for code in sorted(reference()["municipalities"]["kommun_kod"])]


def test_add_serves_more_kommuner_and_keeps_the_data(tmp_path, capsys):
    path = tmp_path / "data"
    assert main(["--data-dir", str(path), "init", "--add", "--kommun", "0381"]) == 2
    assert "run init without --add first" in capsys.readouterr().err
    assert main(["--data-dir", str(path), "init", "--kommun", "0380"]) == 0
    assert main(["--data-dir", str(path), "init", "--add", "--kommun", "Enköping,Knivsta", "--kommun", "0380"]) == 0
    out = capsys.readouterr().out
    assert "serves Enköping (0381), Knivsta (0330), Uppsala (0380); rows added: municipalities 2." in out
    con = db.connect(path)
    assert con.execute("SELECT kommun_kod FROM boundaries ORDER BY 1").fetchall() == [("0330",), ("0380",), ("0381",)]
    assert check_data_dir(path) == []
