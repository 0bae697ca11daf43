"""The demo accounts the load test acts as (accounts/demo.py, fieldwork/demo.py)."""

STAFF_ACCOUNTS = [
    "kadis",
    "kabid.dayasos",
    "kabid.rehsos",
    "kabid.linjamsos",
    "operator.dayasos",
    "operator.rehsos",
    "operator.linjamsos",
    "kasubag.program",
]
# The TKSK of Lebak's 28 kecamatan; their villages are read from the form page.
TKSK_ACCOUNTS = [
    f"tksk.{name}"
    for name in (
        "banjarsari",
        "bayah",
        "bojongmanik",
        "cibadak",
        "cibeber",
        "cigemblong",
        "cihara",
        "cijaku",
        "cikulur",
        "cileles",
        "cilograng",
        "cimarga",
        "cipanas",
        "cirinten",
        "curugbitung",
        "gunungkencana",
        "kalanganyar",
        "lebakgedong",
        "leuwidamar",
        "maja",
        "malingping",
        "muncang",
        "panggarangan",
        "rangkasbitung",
        "sajira",
        "sobang",
        "wanasalam",
        "warunggunung",
    )
]
