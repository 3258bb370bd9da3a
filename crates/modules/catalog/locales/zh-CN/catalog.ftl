catalog-nav-open = 开放数据
catalog-nav-admin = 政务信息资源目录
