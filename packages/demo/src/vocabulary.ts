// The words the demo is written in, after the seeds (Jiaozhou's 千名书记解千题、万名党员圆万梦, the West
// Coast's 万名党员入万户, Binhai's 街呼区应): unit names, problem and wish texts, plans and stories.
// Everything here ends up in public fields; `publicCharacters` lets the name factory keep residents'
// given names out of this alphabet, so no personal name can ever hide inside a public text.
import type { ProblemGrade, WishCategory } from '@banshishi/core';

export const districtName = '胶州市';

/** Jiaozhou's streets and towns (镇街); the demo takes as many as its scale needs. */
export const streetNames = [
  '阜安街道',
  '中云街道',
  '三里河街道',
  '九龙街道',
  '胶东街道',
  '胶北街道',
  '胶西街道',
  '胶莱街道',
  '李哥庄镇',
  '铺集镇',
  '里岔镇',
  '洋河镇',
] as const;

/** Departments (部门) the office routes problems to (转办), with the topics they answer for. */
export const departments = [
  { name: '市卫健局', topics: ['医疗卫生', '养老服务'] },
  { name: '市教体局', topics: ['教育'] },
  { name: '市住建局', topics: ['物业管理', '供暖燃气'] },
  { name: '市医疗保障局', topics: ['医疗卫生'] },
  { name: '市行政审批服务局', topics: ['企业服务'] },
  { name: '市民政局', topics: ['养老服务'] },
  { name: '市人社局', topics: ['就业社保'] },
  { name: '市综合行政执法局', topics: ['环境卫生', '停车充电'] },
  { name: '市交通运输局', topics: ['道路交通'] },
  { name: '市水利局', topics: ['供水排水'] },
  { name: '市市场监管局', topics: ['企业服务'] },
  { name: '市农业农村局', topics: ['农业农村'] },
  { name: '市自然资源局', topics: ['农业农村'] },
  { name: '市生态环境分局', topics: ['环境卫生'] },
  { name: '市工信局', topics: ['企业服务'] },
  { name: '市退役军人事务局', topics: ['就业社保'] },
] as const;

/** Urban communities are named after roads; Jiaozhou's roads are named after other cities (州). */
export const communityRoads = [
  '福州路',
  '常州路',
  '广州路',
  '扬州路',
  '兰州路',
  '郑州路',
  '杭州路',
  '徐州路',
  '泉州路',
  '温州路',
  '湖州路',
  '苏州路',
  '澳门路',
  '香港路',
  '北京路',
  '上海路',
  '云溪',
  '少海',
  '三里河',
  '东关',
  '西关',
  '北关',
  '南关',
  '中云',
] as const;

export const villageSurnames = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
  '梁',
  '宋',
  '郑',
  '谢',
  '韩',
  '唐',
  '冯',
  '于',
  '董',
  '萧',
  '程',
  '曹',
  '袁',
  '邓',
  '许',
  '傅',
  '沈',
  '曾',
  '彭',
  '吕',
  '苏',
  '卢',
  '蒋',
  '蔡',
  '贾',
  '丁',
  '魏',
  '薛',
  '叶',
  '阎',
  '姜',
  '崔',
  '纪',
  '逄',
  '匡',
  '宫',
  '法',
  '管',
  '臧',
  '栾',
] as const;
export const villageSuffixes = ['家庄', '家屯', '家疃', '家洼', '家寨', '家岭', '家河', '家沟'] as const;
export const villagePrefixes = ['前', '后', '东', '西', '南', '北', '大', '小'] as const;
export const villageBases = [
  '店子',
  '河套',
  '沙梁',
  '柳沟',
  '石桥',
  '官庄',
  '马店',
  '营房',
  '杨树行',
  '枣行',
  '草场',
  '洼里',
  '坦子',
  '岔河',
] as const;
export const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] as const;

export interface ProblemTopic {
  readonly category: string;
  readonly grades: readonly (readonly [ProblemGrade, number])[];
  /** `{place}` is the unit's name. */
  readonly titles: readonly string[];
  readonly plans: readonly string[];
  readonly notes: readonly string[];
  readonly summaries: readonly string[];
}

export const residentTopics: readonly ProblemTopic[] = [
  {
    category: '道路交通',
    grades: [
      ['small', 3],
      ['medium', 4],
      ['major', 2],
    ],
    titles: [
      '{place}主路坑洼不平，雨天积水严重',
      '{place}小区门口缺少减速带，车辆车速过快',
      '{place}公交站台缺少遮雨棚',
      '{place}桥梁护栏破损存在安全隐患',
      '{place}生产路年久失修，农机通行困难',
    ],
    plans: ['现场勘查后制定修缮方案，协调施工队进场', '申请道路养护资金，分段硬化', '联系交通部门增设交通设施'],
    notes: ['已完成现场勘查并测量破损面积', '施工队已进场，完成一半工程量', '材料已到位，择晴天施工'],
    summaries: ['已完成道路修补硬化约300平方米，排水沟同步疏通', '已增设减速带两处并施划标线', '已更换破损护栏40米'],
  },
  {
    category: '路灯照明',
    grades: [
      ['minor', 3],
      ['small', 4],
    ],
    titles: ['{place}小区路灯不亮已有两周', '{place}西头路段无路灯，夜间出行不便', '{place}楼道声控灯损坏'],
    plans: ['联系供电和照明养护单位排查线路', '申请安装太阳能路灯'],
    notes: ['已排查出线路老化故障点', '太阳能路灯已采购到位'],
    summaries: ['已更换灯具6盏并修复线路，路灯恢复正常', '已安装太阳能路灯12盏'],
  },
  {
    category: '供水排水',
    grades: [
      ['small', 3],
      ['medium', 3],
      ['major', 1],
    ],
    titles: ['{place}老旧小区自来水水压低', '{place}雨污管道堵塞，污水外溢', '{place}自来水浑浊'],
    plans: ['协调水务公司检测水质、排查管网', '组织疏通管道并制定改造计划'],
    notes: ['水质检测报告已出，正在排查管网', '已完成主管道疏通，支管改造设计中'],
    summaries: ['已更换老化供水管道200米，水压恢复正常', '已疏通雨污管道并加装检查井'],
  },
  {
    category: '供暖燃气',
    grades: [
      ['small', 2],
      ['medium', 3],
    ],
    titles: ['{place}冬季供暖温度不达标', '{place}老旧小区燃气管道需要改造'],
    plans: ['联系热力公司入户测温并排查管网', '纳入老旧小区改造计划'],
    notes: ['已入户测温20户', '管网平衡调试中'],
    summaries: ['已完成管网平衡调试，室温达到18度以上', '已完成燃气管道改造'],
  },
  {
    category: '环境卫生',
    grades: [
      ['minor', 3],
      ['small', 4],
    ],
    titles: ['{place}垃圾桶数量不足，清运不及时', '{place}河道漂浮垃圾需清理', '{place}小区内私搭乱建'],
    plans: ['增设分类垃圾桶并调整清运频次', '组织志愿者和保洁人员集中清理'],
    notes: ['已新增垃圾桶8组', '已与保洁公司调整清运时间'],
    summaries: ['已增设分类垃圾桶并实现日产日清', '已清理河道垃圾3车'],
  },
  {
    category: '物业管理',
    grades: [
      ['small', 3],
      ['medium', 3],
      ['major', 1],
    ],
    titles: ['{place}小区无物业，楼道杂物堆放', '{place}小区电梯老旧频繁故障', '{place}小区外墙保温层脱落'],
    plans: ['引入物业服务或成立业主自管小组', '协调维保单位检修，申请维修资金'],
    notes: ['已召开居民议事会征求意见', '维保单位已完成检测'],
    summaries: ['已引入物业并清理楼道杂物', '已更换电梯主机和控制柜，通过检验'],
  },
  {
    category: '养老服务',
    grades: [
      ['small', 3],
      ['medium', 2],
    ],
    titles: ['{place}缺少老年人日间照料场所', '{place}高龄老人吃饭难，希望开设助餐点'],
    plans: ['利用闲置房屋建设日间照料中心', '与周边餐饮企业合作开设长者食堂'],
    notes: ['场地已落实，正在装修', '已确定合作餐饮企业'],
    summaries: ['日间照料中心已投入使用', '长者食堂已开业，每天供餐80余份'],
  },
  {
    category: '医疗卫生',
    grades: [
      ['small', 3],
      ['medium', 2],
    ],
    titles: ['{place}卫生室药品不全', '{place}残疾老人行动不便，希望家庭医生上门'],
    plans: ['协调卫生院补充常用药品', '为行动不便老人建档立卡、签约家庭医生'],
    notes: ['已完成药品需求摸底', '已签约家庭医生并开展首次上门查体'],
    summaries: ['卫生室常用药品已配齐', '已签约家庭医生，每月定期上门查体'],
  },
  {
    category: '教育',
    grades: [
      ['small', 2],
      ['medium', 3],
    ],
    titles: ['{place}学校周边上下学时段交通拥堵', '{place}幼儿园学位紧张'],
    plans: ['协调交警和学校错峰放学并设置临时停车区', '统筹周边幼儿园学位'],
    notes: ['已与学校沟通错峰方案', '已摸排适龄儿童数量'],
    summaries: ['已实施错峰放学并设置临时停车区', '已协调增加学位60个'],
  },
  {
    category: '就业社保',
    grades: [
      ['minor', 2],
      ['small', 3],
    ],
    titles: ['{place}灵活就业人员社保缴费不清楚', '{place}失地农民养老保险待遇咨询'],
    plans: ['组织政策宣讲并设置咨询台', '逐户核实参保情况'],
    notes: ['已开展政策宣讲一场', '已核实参保信息'],
    summaries: ['已开展政策宣讲并帮助30余人完成参保', '已逐户答复并办理待遇核定'],
  },
  {
    category: '农业农村',
    grades: [
      ['small', 3],
      ['medium', 3],
    ],
    titles: ['{place}农田灌溉机井损坏', '{place}胶州大白菜销售渠道不畅', '{place}大沽河沿岸生产路需修缮'],
    plans: ['申请农田水利资金维修机井', '对接电商平台和商超拓展销路'],
    notes: ['机井维修方案已报批', '已对接两家商超'],
    summaries: ['已维修机井3眼，保障春灌', '已帮助销售大白菜20万斤'],
  },
  {
    category: '停车充电',
    grades: [
      ['small', 3],
      ['medium', 2],
    ],
    titles: ['{place}小区停车位不足', '{place}小区缺少电动车充电桩'],
    plans: ['挖潜增设停车位并规范停车秩序', '协调供电公司安装充电桩'],
    notes: ['已规划新增停车位位置', '充电桩选址已确定'],
    summaries: ['已新增停车位56个', '已安装充电桩20个'],
  },
];

export const enterpriseTopics: readonly ProblemTopic[] = [
  {
    category: '企业服务',
    grades: [
      ['small', 2],
      ['medium', 3],
      ['major', 2],
    ],
    titles: [
      '{enterprise}订单不足，需要产销对接',
      '{enterprise}用工难，招工需求对接',
      '{enterprise}厂区周边道路破损影响货车通行',
      '{enterprise}申请技改补贴流程不清楚',
      '{enterprise}厂区用电增容',
      '{enterprise}员工子女入学',
    ],
    plans: ['企业服务经理人点对点对接，召开供需洽谈会', '协调人社部门组织专场招聘会', '协调相关部门一对一辅导申报'],
    notes: ['已召开供需对接洽谈会', '已组织专场招聘会一场', '申报材料已初审'],
    summaries: ['促成签订订单1165万元', '专场招聘帮助企业招工85人', '补贴已拨付到位'],
  },
];

export const escalationReasons = [
  '涉及跨社区管网改造，需要街道统筹协调',
  '所需资金超出村居能力，申请上级支持',
  '涉及多个部门职责，需要上级协调',
  '需市级部门统筹资金和规划',
] as const;

export const assignmentNotes = [
  '请按职责办理并及时反馈',
  '转相关部门办理，结果逐级反馈',
  '请于时限内办结并公示',
] as const;

export const supervisionNotes = {
  overdue: ['已超期，请加快办理', '请说明超期原因并限期办结'],
  reopened: ['群众评价不满意，请重新办理', '请针对群众意见整改到位'],
} as const;

export const rejectionReasons = {
  duplicate: '与已登记问题重复，合并办理',
  out_of_scope: '属于民事纠纷，已引导通过司法途径解决',
  other: '诉求已在其他渠道办结',
} as const;

export const verdictComments = {
  satisfied: ['处理及时，非常满意', '问题解决了，感谢书记', '办得好，给你们点赞'],
  basically_satisfied: ['基本解决了，希望后续跟进', '总体满意，施工期间有些不便'],
  unsatisfied: ['问题没有彻底解决', '整改不到位，还是老样子'],
} as const;

export const reworkNotes = ['根据群众意见重新制定整改方案', '已再次入户了解诉求'] as const;

export interface WishTheme {
  readonly description: string;
  readonly summary: string;
  readonly story: string;
}

/** 微心愿 in study, life and work (seed 002: 学习、生活、工作). Stories never name the wisher. */
export const wishThemes: Readonly<Record<WishCategory, readonly WishTheme[]>> = {
  study: [
    {
      description: '孩子想要一套课外读物',
      summary: '已送去课外读物一套20册',
      story: '一名留守儿童收到了心心念念的课外读物',
    },
    {
      description: '希望有人辅导孩子功课',
      summary: '已安排党员每周两次上门辅导',
      story: '党员志愿者每周上门为孩子辅导功课',
    },
    {
      description: '想学习使用智能手机',
      summary: '已上门教会使用微信视频和健康码',
      story: '老人学会了用手机和外地的子女视频',
    },
    { description: '想要一个新书包和文具', summary: '已送去书包和文具一套', story: '孩子背上了新书包' },
    { description: '希望参加书法培训', summary: '已联系文明实践站报名书法班', story: '书法爱好者圆了学书法的梦' },
  ],
  life: [
    { description: '家里的水龙头漏水需要维修', summary: '已上门更换水龙头并检查管线', story: '漏了多日的水龙头修好了' },
    {
      description: '希望有人帮忙更换老化电线',
      summary: '已联系电工更换入户老化电线',
      story: '老房子换上了新电线，用电更安全',
    },
    { description: '想要一台电暖器过冬', summary: '已送去电暖器一台', story: '独居老人家里添了电暖器，冬天不再冷' },
    {
      description: '行动不便，希望有人陪同就医',
      summary: '已安排党员陪同就医两次',
      story: '党员陪同行动不便的老人到医院复查',
    },
    { description: '想要一辆轮椅', summary: '已协调残联送去轮椅一辆', story: '老人坐上轮椅，可以出门晒太阳了' },
    { description: '希望帮忙修缮漏雨的屋顶', summary: '已组织党员修缮屋顶', story: '雨季来临前屋顶修好了' },
    { description: '想拍一张全家福', summary: '已联系摄影志愿者上门拍摄', story: '一家人拍上了第一张全家福' },
    { description: '希望定期上门理发', summary: '已安排志愿者每月上门理发', story: '志愿者每月上门为卧床老人理发' },
    { description: '家里门锁坏了需要更换', summary: '已上门更换门锁', story: '换上新门锁，老人住得更安心' },
    { description: '想要一台助听器', summary: '已协调送去助听器一台', story: '老人戴上助听器，又能听清家人说话了' },
  ],
  work: [
    {
      description: '希望找到一份保洁工作',
      summary: '已推荐到物业公司从事保洁',
      story: '困难家庭成员在家门口找到了工作',
    },
    { description: '想参加面点技能培训', summary: '已报名参加面点技能培训班', story: '学会面点手艺，开起了早餐摊' },
    { description: '帮忙联系大白菜销路', summary: '已帮助联系商超收购大白菜', story: '滞销的大白菜卖出去了' },
    { description: '想学习电商直播卖农产品', summary: '已安排参加电商直播培训', story: '村民学会了直播卖农产品' },
    { description: '希望办理灵活就业社保', summary: '已帮助办理灵活就业参保', story: '灵活就业人员办上了社保' },
  ],
};

export const wishConfirmComments = {
  satisfied: ['谢谢党员同志，帮了大忙', '很满意，感谢社区', '心愿实现了，非常感谢'],
  unsatisfied: ['还没有完全解决，希望再帮帮忙', '东西不太合用，想再换一下'],
} as const;

export const cancelReasons = {
  withdrawn: '家人已帮忙解决，撤回心愿',
  invalid: '经核实不属于微心愿范围',
} as const;

export const evidenceCaptions = ['整改前', '整改后', '现场照片'] as const;

export const releaseReasons = ['工作调动，无法继续办理', '所需资源超出个人能力，交由其他党员认领'] as const;

export const enterpriseWords = [
  '海湾',
  '宏达',
  '金源',
  '鑫盛',
  '华信',
  '瑞丰',
  '恒通',
  '德润',
  '海晨',
  '益康',
  '泰和',
  '联华',
  '永盛',
  '中和',
  '嘉禾',
  '利群',
  '汇丰',
  '胜利',
  '长城',
  '昌盛',
  '佳和',
  '万通',
  '正大',
  '广源',
  '百川',
  '信诚',
  '天泰',
  '祥瑞',
  '凯达',
  '远航',
] as const;
export const enterpriseIndustries = [
  '机械',
  '电子',
  '食品',
  '纺织',
  '服装',
  '物流',
  '包装',
  '橡胶',
  '钢结构',
  '工艺品',
  '农产品',
  '新材料',
  '汽车配件',
  '家居',
  '医疗器械',
  '电梯',
  '空调',
  '制鞋',
  '木业',
  '印刷',
] as const;
export const enterpriseForms = ['有限公司', '股份有限公司'] as const;

export const campaignName = '千名书记解千题、万名党员圆万梦';
export const campaignAdjustmentReason = '党史学习教育领导小组会议决定提高圆梦目标';

/** Every character any public text of the demo may contain (names of officials aside). */
export const publicCharacters = (): ReadonlySet<string> => {
  const texts: string[] = [
    districtName,
    campaignName,
    campaignAdjustmentReason,
    '社区村第网格号楼单元室户山东省青岛市路',
    ...streetNames,
    ...departments.flatMap((d) => [d.name, ...d.topics]),
    ...communityRoads,
    ...villageSurnames,
    ...villageSuffixes,
    ...villagePrefixes,
    ...villageBases,
    ...numerals,
    ...[...residentTopics, ...enterpriseTopics].flatMap((t) => [
      t.category,
      ...t.titles,
      ...t.plans,
      ...t.notes,
      ...t.summaries,
    ]),
    ...escalationReasons,
    ...assignmentNotes,
    ...supervisionNotes.overdue,
    ...supervisionNotes.reopened,
    ...Object.values(rejectionReasons),
    ...reworkNotes,
    ...Object.values(wishThemes).flatMap((themes) => themes.flatMap((t) => [t.description, t.summary, t.story])),
    ...releaseReasons,
    ...Object.values(cancelReasons),
    ...evidenceCaptions,
    ...enterpriseWords,
    ...enterpriseIndustries,
    ...enterpriseForms,
  ];
  return new Set(texts.flatMap((t) => Array.from(t)));
};
