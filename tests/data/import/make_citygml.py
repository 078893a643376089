"""Writes the CityGML test inputs of zw_bake_import_tests (tests/unit/bake_import_test.cpp).

Usage: python3 make_citygml.py KIND > FILE, for the KINDs at the bottom; the checked-in
files are buildings.gml, buildings_compound_crs.gml, buildings_gk4.gml, broken_nan.gml,
no_buildings.gml, no_srs.gml, truncated.gml and buildings_xlink_solid.gml.
Three LoD2 buildings near easting 631000, northing 5498000 (EPSG:25832), heights ~300 m:
a gable-roofed house with all attributes and an address, a flat-roofed one with a
BuildingPart and no measuredHeight, and a bare lod2MultiSurface without attributes.
"""
import sys
E0, N0 = 631000.0, 5498000.0

def newell(r):
    nx=ny=nz=0.0
    for i in range(len(r)):
        a=r[i]; b=r[(i+1)%len(r)]
        nx+=(a[1]-b[1])*(a[2]+b[2]); ny+=(a[2]-b[2])*(a[0]+b[0]); nz+=(a[0]-b[0])*(a[1]+b[1])
    return (nx,ny,nz)

def box_surfaces(x0,y0,x1,y1,z0,z1,ridge=None):
    """Returns dict kind -> list of rings (outward CCW). ridge: gable ridge height along x."""
    ym=(y0+y1)/2
    s={'ground':[[(x0,y0,z0),(x0,y1,z0),(x1,y1,z0),(x1,y0,z0)]],
       'wall':[[(x0,y0,z0),(x1,y0,z0),(x1,y0,z1),(x0,y0,z1)],
               [(x1,y1,z0),(x0,y1,z0),(x0,y1,z1),(x1,y1,z1)]]}
    if ridge is None:
        s['wall']+= [[(x1,y0,z0),(x1,y1,z0),(x1,y1,z1),(x1,y0,z1)],
                     [(x0,y1,z0),(x0,y0,z0),(x0,y0,z1),(x0,y1,z1)]]
        s['roof']=[[(x0,y0,z1),(x1,y0,z1),(x1,y1,z1),(x0,y1,z1)]]
    else:
        s['wall']+= [[(x1,y0,z0),(x1,y1,z0),(x1,y1,z1),(x1,ym,ridge),(x1,y0,z1)],
                     [(x0,y1,z0),(x0,y0,z0),(x0,y0,z1),(x0,ym,ridge),(x0,y1,z1)]]
        s['roof']=[[(x0,y0,z1),(x1,y0,z1),(x1,ym,ridge),(x0,ym,ridge)],
                   [(x1,y1,z1),(x0,y1,z1),(x0,ym,ridge),(x1,ym,ridge)]]
    # check orientation
    c=((x0+x1)/2,(y0+y1)/2,(z0+z1)/2)
    for k,rings in s.items():
        for r in rings:
            n=newell(r); p=r[0]
            d=sum(n[i]*(p[i]-c[i]) for i in range(3))
            assert d>0,(k,r)
    return s

def poslist(r, nan_at=None):
    pts=r+[r[0]]
    vals=[]
    for i,p in enumerate(pts):
        for j,v in enumerate(p):
            vals.append('NaN' if nan_at==(i,j) else ('%.3f'%v).rstrip('0').rstrip('.'))
    return ' '.join(vals)

pid=[0]
def polygon(r, nan_at=None):
    pid[0]+=1
    return ('<gml:Polygon gml:id="poly_%d"><gml:exterior><gml:LinearRing>'
            '<gml:posList srsDimension="3">%s</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>') % (pid[0], poslist(r, nan_at))

def multisurface(rings, nan_first=False):
    out=['<gml:MultiSurface>']
    for i,r in enumerate(rings):
        out.append('\n        <gml:surfaceMember>%s</gml:surfaceMember>' % polygon(r, (1,2) if nan_first and i==0 else None))
    out.append('</gml:MultiSurface>')
    return ''.join(out)

TAG={'wall':'WallSurface','roof':'RoofSurface','ground':'GroundSurface'}
def bounded_by(bid, s, nan=False):
    out=[]
    first=True
    for k in ('ground','wall','roof'):
        out.append('      <bldg:boundedBy><bldg:%s gml:id="%s_%s"><bldg:lod2MultiSurface>%s</bldg:lod2MultiSurface></bldg:%s></bldg:boundedBy>\n'
                   % (TAG[k], bid, k, multisurface(s[k], nan and first), TAG[k]))
        first=False
    return ''.join(out)

def address(street, number):
    return ('      <bldg:address><core:Address><core:xalAddress><xAL:AddressDetails><xAL:Country>'
            '<xAL:CountryName>Deutschland</xAL:CountryName><xAL:Locality Type="Town"><xAL:LocalityName>Weisendorf</xAL:LocalityName>'
            '<xAL:Thoroughfare Type="Street"><xAL:ThoroughfareNumber>%s</xAL:ThoroughfareNumber>'
            '<xAL:ThoroughfareName>%s</xAL:ThoroughfareName></xAL:Thoroughfare>'
            '<xAL:PostalCode><xAL:PostalCodeNumber>91085</xAL:PostalCodeNumber></xAL:PostalCode></xAL:Locality>'
            '</xAL:Country></xAL:AddressDetails></core:xalAddress></core:Address></bldg:address>\n') % (number, street)

HEAD='''<?xml version="1.0" encoding="UTF-8"?>
<!-- Test data for zw_bake_import_tests (tests/unit/bake_import_test.cpp), made by make_citygml.py. -->
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
  xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:gml="http://www.opengis.net/gml"
  xmlns:xAL="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" xmlns:xlink="http://www.w3.org/1999/xlink">
  <gml:boundedBy><gml:Envelope srsName="%s" srsDimension="3">
    <gml:lowerCorner>631000 5498000 299</gml:lowerCorner><gml:upperCorner>631060 5498040 310</gml:upperCorner>
  </gml:Envelope></gml:boundedBy>
'''
TAIL='</core:CityModel>\n'

def e(x): return E0+x
def n(y): return N0+y

def b1(nan=False):
    bid='DEBY_LOD2_0001'
    s=box_surfaces(e(10),n(10),e(20),n(18),300,306,309)
    return ('  <core:cityObjectMember><bldg:Building gml:id="%s">\n' % bid +
      '      <gen:stringAttribute name="Gemeindeschluessel"><gen:value>09572159</gen:value></gen:stringAttribute>\n'
      '      <bldg:function>31001_1000</bldg:function>\n'
      '      <bldg:yearOfConstruction>1965</bldg:yearOfConstruction>\n'
      '      <bldg:measuredHeight uom="m">9.0</bldg:measuredHeight>\n'
      '      <bldg:storeysAboveGround>2</bldg:storeysAboveGround>\n' +
      bounded_by(bid, s, nan) + address('Hauptstraße', '12') +
      '  </bldg:Building></core:cityObjectMember>\n')

def b1_solid():
    """Building 1 as most German LoD2 data has it: a lod2Solid whose surfaces are
    xlinks to the polygons of the boundary surfaces."""
    start=pid[0]
    body=b1()
    ids=range(start+1, pid[0]+1)
    solid=('      <bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>\n' +
           ''.join('        <gml:surfaceMember xlink:href="#poly_%d"/>\n' % i for i in ids) +
           '      </gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>\n')
    return body.replace('      <bldg:boundedBy>', solid + '      <bldg:boundedBy>', 1)

def b2():
    bid='DEBY_LOD2_0002'
    s=box_surfaces(e(30),n(10),e(42),n(20),300.5,307.5)
    p=box_surfaces(e(42),n(12),e(48),n(16),300.5,304.5)
    return ('  <core:cityObjectMember><bldg:Building gml:id="%s">\n' % bid +
      '      <bldg:function>31001_2000</bldg:function>\n'
      '      <bldg:storeysAboveGround>3</bldg:storeysAboveGround>\n' +
      bounded_by(bid, s) +
      '      <bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="%s_part1">\n' % bid +
      '      <bldg:storeysAboveGround>1</bldg:storeysAboveGround>\n' +
      bounded_by(bid+'_part1', p) +
      '      </bldg:BuildingPart></bldg:consistsOfBuildingPart>\n' +
      address('Schulweg', '3a') +
      '  </bldg:Building></core:cityObjectMember>\n')

def b3():
    bid='DEBY_LOD2_0003'
    s=box_surfaces(e(50),n(30),e(56),n(36),301,304)
    rings=s['ground']+s['wall']+s['roof']
    return ('  <core:cityObjectMember><bldg:Building gml:id="%s">\n' % bid +
      '      <bldg:lod2MultiSurface>%s</bldg:lod2MultiSurface>\n' % multisurface(rings) +
      '  </bldg:Building></core:cityObjectMember>\n')

kind=sys.argv[1]
if kind=='buildings':
    print(HEAD % 'EPSG:25832' + b1() + b2() + b3() + TAIL, end='')
elif kind=='urn':
    print(HEAD % 'urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::7837' + b1() + TAIL, end='')
elif kind=='gk4':
    print((HEAD % 'EPSG:31468').replace('631000 5498000','4431000 5498000').replace('631060 5498040','4431060 5498040') + b1().replace('>63','>443').replace(' 63',' 443') + TAIL, end='')
elif kind=='nan':
    print(HEAD % 'EPSG:25832' + b1(nan=True) + TAIL, end='')
elif kind=='xlink':
    print(HEAD % 'EPSG:25832' + b1_solid() + TAIL, end='')
elif kind=='nosrs':
    print((HEAD % 'EPSG:25832').replace(' srsName="EPSG:25832"','') + b1() + TAIL, end='')
elif kind=='truncated':
    print((HEAD % 'EPSG:25832' + b1())[:2500], end='')
elif kind=='nobuildings':
    print(HEAD % 'EPSG:25832' + '''  <core:cityObjectMember><gen:GenericCityObject gml:id="GEN_0001">
      <gen:function>fountain</gen:function>
  </gen:GenericCityObject></core:cityObjectMember>
''' + TAIL, end='')
