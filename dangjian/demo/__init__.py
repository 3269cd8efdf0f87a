"""Demo and benchmark data: `manage.py seed_demo` (a realistic 海陵区 data set) and `seed_demo --scale`."""
