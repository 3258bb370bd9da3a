shell-nav-api = 开放接口文档
shell-home-title = 青云 · 云上青海
shell-home-intro = 青海省“互联网+”行动的一体化平台：统一身份、行政区划、数据共享、政务服务、信用、溯源、生态监测等，面向群众、企业、部门和运营方。
