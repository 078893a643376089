#!/usr/bin/python3
"""Prints the reference sun positions of tests/unit/sun_test.cpp: PyEphem (Debian's
python3-ephem), an ephemeris independent of NOAA's algorithm, at Weisendorf (49.626 N,
10.826 E, 0 m) without refraction (pressure 0). Not run by the test suite."""
import math

import ephem

observer = ephem.Observer()
observer.lat, observer.lon, observer.elevation, observer.pressure = "49.626", "10.826", 0, 0
# (UTC date and time, the Europe/Berlin time the test names)
cases = [("2026/03/21 %02d:00" % (h - 1), h) for h in (7, 9, 12, 15, 18)]
cases += [("2026/06/21 %02d:00" % (h - 2), h) for h in (6, 9, 13, 17, 21)]
cases += [("2026/12/21 %02d:00" % (h - 1), h) for h in (9, 12, 15)]
cases += [("2026/12/20 23:00", 0)]
for utc, local in cases:
    observer.date = ephem.Date(utc)
    sun = ephem.Sun(observer)
    print("%s UTC (local %02d:00): az %.3f el %.3f" % (utc, local, math.degrees(sun.az), math.degrees(sun.alt)))
