<?xml version="1.0" encoding="UTF-8"?>
<!-- Test data for zw_bake_import_tests (tests/unit/bake_import_test.cpp), made by make_citygml.py. -->
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
  xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:gml="http://www.opengis.net/gml"
  xmlns:xAL="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" xmlns:xlink="http://www.w3.org/1999/xlink">
  <gml:boundedBy><gml:Envelope srsDimension="3">
    <gml:lowerCorner>631000 5498000 299</gml:lowerCorner><gml:upperCorner>631060 5498040 310</gml:upperCorner>
  </gml:Envelope></gml:boundedBy>
  <core:cityObjectMember><bldg:Building gml:id="DEBY_LOD2_0001">
      <gen:stringAttribute name="Gemeindeschluessel"><gen:value>09572159</gen:value></gen:stringAttribute>
      <bldg:function>31001_1000</bldg:function>
      <bldg:yearOfConstruction>1965</bldg:yearOfConstruction>
      <bldg:measuredHeight uom="m">9.0</bldg:measuredHeight>
      <bldg:storeysAboveGround>2</bldg:storeysAboveGround>
      <bldg:boundedBy><bldg:GroundSurface gml:id="DEBY_LOD2_0001_ground"><bldg:lod2MultiSurface><gml:MultiSurface>
        <gml:surfaceMember><gml:Polygon gml:id="poly_1"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631010 5498010 300 631010 5498018 300 631020 5498018 300 631020 5498010 300 631010 5498010 300</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:GroundSurface></bldg:boundedBy>
      <bldg:boundedBy><bldg:WallSurface gml:id="DEBY_LOD2_0001_wall"><bldg:lod2MultiSurface><gml:MultiSurface>
        <gml:surfaceMember><gml:Polygon gml:id="poly_2"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631010 5498010 300 631020 5498010 300 631020 5498010 306 631010 5498010 306 631010 5498010 300</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
        <gml:surfaceMember><gml:Polygon gml:id="poly_3"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631020 5498018 300 631010 5498018 300 631010 5498018 306 631020 5498018 306 631020 5498018 300</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
        <gml:surfaceMember><gml:Polygon gml:id="poly_4"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631020 5498010 300 631020 5498018 300 631020 5498018 306 631020 5498014 309 631020 5498010 306 631020 5498010 300</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
        <gml:surfaceMember><gml:Polygon gml:id="poly_5"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631010 5498018 300 631010 5498010 300 631010 5498010 306 631010 5498014 309 631010 5498018 306 631010 5498018 300</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:WallSurface></bldg:boundedBy>
      <bldg:boundedBy><bldg:RoofSurface gml:id="DEBY_LOD2_0001_roof"><bldg:lod2MultiSurface><gml:MultiSurface>
        <gml:surfaceMember><gml:Polygon gml:id="poly_6"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631010 5498010 306 631020 5498010 306 631020 5498014 309 631010 5498014 309 631010 5498010 306</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
        <gml:surfaceMember><gml:Polygon gml:id="poly_7"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">631020 5498018 306 631010 5498018 306 631010 5498014 309 631020 5498014 309 631020 5498018 306</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>
      <bldg:address><core:Address><core:xalAddress><xAL:AddressDetails><xAL:Country><xAL:CountryName>Deutschland</xAL:CountryName><xAL:Locality Type="Town"><xAL:LocalityName>Weisendorf</xAL:LocalityName><xAL:Thoroughfare Type="Street"><xAL:ThoroughfareNumber>12</xAL:ThoroughfareNumber><xAL:ThoroughfareName>Hauptstraße</xAL:ThoroughfareName></xAL:Thoroughfare><xAL:PostalCode><xAL:PostalCodeNumber>91085</xAL:PostalCodeNumber></xAL:PostalCode></xAL:Locality></xAL:Country></xAL:AddressDetails></core:xalAddress></core:Address></bldg:address>
  </bldg:Building></core:cityObjectMember>
</core:CityModel>
