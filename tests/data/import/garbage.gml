this is not a CityGML file, nor XML at all
