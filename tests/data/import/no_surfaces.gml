<?xml version="1.0" encoding="UTF-8"?>
<!-- Test data for zw_bake_import_tests, by hand: buildings whose only polygons are collinear, empty or missing. -->
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">
  <gml:boundedBy><gml:Envelope srsName="EPSG:25832"><gml:lowerCorner>0 0 0</gml:lowerCorner><gml:upperCorner>1 1 1</gml:upperCorner></gml:Envelope></gml:boundedBy>
  <core:cityObjectMember><bldg:Building gml:id="B1"><bldg:lod2MultiSurface><gml:MultiSurface>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>631000 5498000 300 631001 5498000 300 631000 5498000 300</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList></gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    <gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:pos>631000 5498000 300</gml:pos><gml:pos>631002 5498000 300</gml:pos><gml:pos>631004 5498000 300</gml:pos><gml:pos>631000 5498000 300</gml:pos></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
  </gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></core:cityObjectMember>
  <core:cityObjectMember><bldg:Building gml:id="B2"/></core:cityObjectMember>
</core:CityModel>
