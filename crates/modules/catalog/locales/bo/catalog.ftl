# NEEDS NATIVE REVIEW: best-effort Tibetan.
catalog-nav-open = གསལ་ཁྱབ་གཞི་གྲངས།
catalog-nav-admin = གཞུང་ལས་ཆ་འཕྲིན་ཐོ་གཞུང་།
