<?xml version="1.0" encoding="UTF-8"?>
<!-- Test data for zw_bake_import_tests (tests/unit/bake_import_test.cpp), made by make_citygml.py. -->
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
  xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:gml="http://www.opengis.net/gml"
  xmlns:xAL="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" xmlns:xlink="http://www.w3.org/1999/xlink">
  <gml:boundedBy><gml:Envelope srsName="EPSG:25832" srsDimension="3">
    <gml:lowerCorner>631000 5498000 299</gml:lowerCorner><gml:upperCorner>631060 5498040 310</gml:upperCorner>
  </gml:Envelope></gml:boundedBy>
  <core:cityObjectMember><gen:GenericCityObject gml:id="GEN_0001">
      <gen:function>fountain</gen:function>
  </gen:GenericCityObject></core:cityObjectMember>
</core:CityModel>
