-- The measure catalogue an installation starts with, after the State Council's guidance on
-- joint rewards and punishments (国发〔2016〕33号) and the 2020 rules on serious dishonesty
-- (国办发〔2020〕49号). Operators edit it (scenarios, activation) in the admin pages.
-- trigger: list:<list> or grade:<A-D>; scenarios: comma-separated, '*' for every scenario.
INSERT INTO credit_measure (code, kind, name, basis, trigger, scenarios, active) VALUES
('restrict_procurement', 'punishment', '限制参与政府采购活动', '《中华人民共和国政府采购法》第二十二条；国发〔2016〕33号', 'list:serious_dishonest', 'government_procurement', 1),
('restrict_bidding', 'punishment', '限制参与依法必须招标项目的投标', '《中华人民共和国招标投标法实施条例》；国发〔2016〕33号', 'list:serious_dishonest', 'public_bidding', 1),
('restrict_subsidy', 'punishment', '限制申请财政性资金项目和政策性支持', '国发〔2016〕33号 第（十一）条', 'list:serious_dishonest', 'subsidy', 1),
('restrict_honours', 'punishment', '限制参评评优评先', '国发〔2016〕33号 第（十一）条', 'list:serious_dishonest', 'honours', 1),
('no_notification_commitment', 'punishment', '不适用告知承诺制，按一般程序审批', '国办发〔2020〕42号', 'list:serious_dishonest', 'administrative_licensing', 1),
('intensified_supervision', 'punishment', '列为重点监管对象，提高抽查比例和频次', '国发〔2016〕33号 第（十）条', 'list:serious_dishonest', 'supervision', 1),
('watch_supervision', 'punishment', '加强日常监管，提高抽查比例', '发改财金规〔2017〕1798号', 'list:key_attention', 'supervision', 1),
('grade_d_supervision', 'punishment', '信用评价为D级：提高监管频次', '青海省公共信用综合评价办法（本平台配置）', 'grade:D', 'supervision', 1),
('green_channel', 'reward', '行政审批“绿色通道”和“容缺受理”', '国发〔2016〕33号 第（五）条', 'list:red', 'administrative_licensing', 1),
('reduced_inspection', 'reward', '降低日常监管抽查比例和频次', '国发〔2016〕33号 第（六）条', 'list:red', 'supervision', 1),
('procurement_credit_bonus', 'reward', '政府采购中同等条件下优先考虑', '国发〔2016〕33号 第（五）条', 'list:red', 'government_procurement', 1),
('subsidy_priority', 'reward', '财政性资金项目安排中同等条件下优先', '国发〔2016〕33号 第（五）条', 'list:red', 'subsidy', 1);
