"""The import page in headless Chromium: a real upload, the problem list in
Swedish, the import, and the new incidents in the app, with no outside request."""

import shutil

import pytest

from dashboard import PROJECT_ROOT
from tests.browser.conftest import screenshot, wait_for_app

APP_SOURCE = (PROJECT_ROOT / "dashboard" / "app.py").read_text(encoding="utf-8")
pytestmark = pytest.mark.skipif(
    "navigation.visible()" not in APP_SOURCE, reason="app.py does not list navigation.visible() yet"
)
ROWS = [
    "tidpunkt;kommun;kategori;latitud;longitud;beskrivning",
    "2024-03-01 22:15;Trollhättan;Narkotikabrott;58,2840;12,2890;<b>Langning</b> vid stationen",
    "2024-03-02 01:10;Atlantis;Rattfylleri;58,1340;12,1240;Kontroll",
    "2024-03-02 02:10;Lilla Edet;Rattfylleri;12,1240;58,1340;Omkastade koordinater",
]


@pytest.fixture
def import_url(start_app, demo_dir, tmp_path_factory) -> str:
    """The app on a copy of the demo data, which this test changes."""
    data_dir = tmp_path_factory.mktemp("import") / "data"
    shutil.copytree(demo_dir, data_dir)
    return start_app(data_dir).url


def test_upload_check_and_import(offline_page, import_url, tmp_path):
    page = offline_page
    upload = tmp_path / "händelser.csv"
    upload.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    page.goto(f"{import_url}/importera")
    wait_for_app(page, "Fil med händelser")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
    wait_for_app(page, "Rader med fel")
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("2 rader har fel").is_visible()
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    button = main.get_by_role("button", name="Importera 1 händelse")
    assert button.is_disabled()
    screenshot(page, "importera-problem")

    main.get_by_text("Importera de giltiga raderna").click()
    button.click()
    wait_for_app(page, "Klart: 1 händelse importerades")
    assert main.get_by_role("button", name="Ladda ner de avvisade raderna (CSV)").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "importera-klart")
