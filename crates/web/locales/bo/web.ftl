# Shared layout and error messages.
# NEEDS NATIVE REVIEW: Tibetan strings below are a best-effort translation and must be
# checked by a native Tibetan reader before production use.
site-name = ཆིང་ཡུན། · སྤྲིན་སྟེང་མཚོ་སྔོན།
language-self-name = བོད་ཡིག
cloud-base = རྨང་གཞིའི་ཞབས་ཞུ།
cloud-government = གཞུང་དོན་སྤྲིན།
cloud-industry = ཐོན་ལས་སྤྲིན།
cloud-livelihood = མི་དམངས་འཚོ་བའི་སྤྲིན།
cloud-ecology = སྐྱེ་ཁམས་སྤྲིན།
layout-skip-to-content = ནང་དོན་ལ་མཆོང་།
layout-account-nav = ཐོ་ཁོངས།
layout-main-nav = གཙོ་བོའི་ལམ་སྟོན།
layout-menu = སྡེ་ཚན།
layout-login = ནང་འཛུལ།
layout-logout = ཕྱིར་ཐོན།
layout-language = སྐད་ཡིག
layout-language-apply = བརྗེ་བ།
layout-footer = མཚོ་སྔོན་ཞིང་ཆེན་གྱི་“དྲ་རྒྱ་+”སྟེགས་བུ། · ས་མཚམས་ © OpenStreetMap (ODbL 1.0)、geoBoundaries
error-title = ནོར་འཁྲུལ་བྱུང་སོང་། ({ $status })
error-back-home = མགོ་ངོས་སུ་ཕྱིར་ལོག
error-status-400 = རེ་ཞུ་ཡང་དག་མིན། ཞིབ་བཤེར་བྱས་ནས་ཡང་བསྐྱར་ཚོད་ལྟ་གནང་།
error-status-401 = སྔོན་ལ་ནང་འཛུལ་གནང་།
error-status-403 = ཁྱེད་ལ་བྱ་བ་འདི་བྱེད་པའི་དབང་ཚད་མེད།
error-status-404 = ཤོག་ངོས་སམ་ཟིན་ཐོ་དེ་མི་འདུག
error-status-409 = ཟིན་ཐོ་འདི་ཡོད་བཞིན་པའི་ཟིན་ཐོ་དང་འགལ་འདུག
error-status-413 = ཁྱེད་ཀྱིས་བསྐུར་བ་ཆེ་དྲགས་འདུག
error-status-429 = ཚོད་ལྟ་མང་དྲགས་སོང་། ཅུང་ཙམ་སྒུག་རོགས།
error-status-500 = མ་ལག་ནང་ནོར་འཁྲུལ་བྱུང་། ཟིན་ཐོ་བྱས་ཟིན། རྗེས་སུ་ཡང་བསྐྱར་ཚོད་ལྟ་གནང་།
error-status-503 = ཞབས་ཞུ་གནས་སྐབས་སུ་བེད་སྤྱོད་བྱེད་མི་ཐུབ།
error-request-csrf = རེའུ་མིག་དུས་ཡོལ་བའམ་དྲ་ཚིགས་གཞན་ནས་ཡིན། ཤོག་ངོས་གསར་བསྐྱར་བྱས་ནས་ཡང་བསྐྱར་ཚོད་ལྟ་གནང་།
error-request-invalid_form = རེའུ་མིག་ནང་གི་ནང་དོན་ནོར་འདུག
error-request-too_large = ཁྱེད་ཀྱིས་བསྐུར་བ་ཆེ་དྲགས་འདུག
error-http-not_found = ཤོག་ངོས་དེ་མི་འདུག
pager-next = ཤོག་ངོས་རྗེས་མ།
