shell-nav-api = API documentation
shell-home-title = Qingyun · Cloud Qinghai
shell-home-intro = The one platform of Qinghai's "Internet+" action plan: shared identity, regions, data sharing, government services, credit, traceability, environmental monitoring and more — for residents, enterprises, departments and operators.
