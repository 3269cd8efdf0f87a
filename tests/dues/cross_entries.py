"""Cross-station entries of dues (merged by tests/cross_bodies.py and tests/test_cross_station.py)."""

PERSONAL = {
    "dues:my_order_cancel": "the actor cancels their own pending order (anyone else's is a 404)",
    "api:my_dues_order_cancel": "the actor cancels their own pending order (anyone else's is a 404)",
}
