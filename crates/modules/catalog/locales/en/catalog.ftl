catalog-nav-open = Open data
catalog-nav-admin = Information resource catalog
