/**
 * Product classes recognised from a declaration line's description, so that a declared value can be
 * judged from the first parcel on, without local history: a USD 1 smartphone is never plausible.
 *
 * Each class names the words sellers write (English, Korean, French, Chinese, Japanese and a few
 * Spanish and German words, as they appear on marketplace listings), the HS headings such goods are
 * classified under, and the retail price range of one genuine new unit in US dollars. The ranges are
 * deliberately wide (the cheapest genuine unit sold new to a high-end one): they catch values that are
 * absurd, not values that are merely low. docs/value-plausibility.md lists the table for review.
 *
 * Matching: descriptions are compared in NFKC lower case. Latin-script words match whole words (a plural
 * `s`/`es` allowed; a word ending in `*` matches as a prefix, for model numbers such as `galaxy s2*`);
 * Hangul, Chinese and Japanese words match anywhere, as those scripts do not separate words. A class
 * with several term groups needs one word of every group ("gucci" and "bag"). A word of `excludes`
 * anywhere in the description rules the class out ("iphone case" is no phone).
 */
export interface ProductClass {
  id: string;
  terms: readonly (readonly string[])[];
  excludes?: readonly string[];
  /** HS chapters (2 digits), headings (4) or subheadings (6) under which such goods are declared. */
  hs: readonly string[];
  /** Retail price of one genuine new unit in USD: [cheapest, high end]. */
  priceUsd: readonly [number, number];
  /** Branded goods: a price far below the cheapest genuine unit points to undervaluation or a counterfeit. */
  brand: boolean;
}

/** Words that turn a device or brand word into an accessory for it. */
const accessoryWords = [
  'case',
  'cover',
  'bumper',
  'screen protector',
  'protector',
  'tempered glass',
  'film',
  'skin',
  'sticker',
  'strap',
  'band',
  'charger',
  'charging',
  'cable',
  'adapter',
  'holder',
  'mount',
  'stand',
  'dock',
  'grip',
  'pouch',
  'sleeve',
  'replacement',
  'keychain',
  'dummy',
  'toy',
  '케이스',
  '커버',
  '필름',
  '강화유리',
  '충전기',
  '케이블',
  '거치대',
  '스트랩',
  '밴드',
  'coque',
  'étui',
  'housse',
  'chargeur',
  'câble',
  'bracelet de',
  '壳',
  '保护膜',
  '钢化膜',
  '充电器',
  '数据线',
  '支架',
  '表带',
  'ケース',
  'カバー',
  'フィルム',
  '充電器',
  'ベルト',
] as const;

const luxuryFashionBrands = [
  'louis vuitton',
  'chanel',
  'hermes',
  'hermès',
  'gucci',
  'prada',
  'dior',
  'balenciaga',
  'bottega veneta',
  'celine',
  'céline',
  'saint laurent',
  'yves saint laurent',
  'goyard',
  'fendi',
  'loewe',
  'givenchy',
  'valentino',
  'burberry',
  'miu miu',
  '루이비통',
  '루이 비통',
  '샤넬',
  '에르메스',
  '구찌',
  '프라다',
  '디올',
  '발렌시아가',
  '보테가',
  '셀린느',
  '생로랑',
  '고야드',
  '펜디',
  '로에베',
  '지방시',
  '발렌티노',
  '버버리',
  '路易威登',
  '香奈儿',
  '爱马仕',
  '古驰',
  '普拉达',
  '迪奥',
  '巴黎世家',
  'ルイヴィトン',
  'ルイ・ヴィトン',
  'シャネル',
  'エルメス',
  'グッチ',
  'プラダ',
  'ディオール',
] as const;

export const productClasses: readonly ProductClass[] = [
  {
    id: 'premium_smartphone',
    terms: [
      [
        'iphone*',
        'galaxy s2*',
        'galaxy s1*',
        'galaxy z*',
        'galaxy note*',
        'galaxy fold*',
        'galaxy flip*',
        'google pixel*',
        '아이폰',
        '갤럭시 s2',
        '갤럭시s2',
        '갤럭시 z',
        '갤럭시z',
        '갤럭시 폴드',
        '갤럭시 플립',
        '苹果手机',
        'アイフォン',
      ],
    ],
    excludes: accessoryWords,
    hs: ['8517'],
    priceUsd: [300, 2000],
    brand: true,
  },
  {
    id: 'smartphone',
    terms: [
      [
        'smartphone',
        'smart phone',
        'mobile phone',
        'cell phone',
        'cellphone',
        'unlocked phone',
        'android phone',
        '스마트폰',
        '휴대폰',
        '핸드폰',
        '휴대전화',
        'téléphone portable',
        'téléphone mobile',
        '手机',
        '智能手机',
        'スマートフォン',
        'スマホ',
        '携帯電話',
        'teléfono móvil',
        'celular',
      ],
    ],
    excludes: accessoryWords,
    hs: ['8517'],
    priceUsd: [40, 2000],
    brand: false,
  },
  {
    id: 'premium_laptop',
    terms: [
      ['macbook*', '맥북', 'thinkpad x1', 'surface laptop', 'lg gram', '엘지 그램', 'dell xps', 'zenbook'],
    ],
    excludes: [...accessoryWords, 'bag', 'backpack', 'keyboard cover'],
    hs: ['8471'],
    priceUsd: [500, 5000],
    brand: true,
  },
  {
    id: 'laptop',
    terms: [
      [
        'laptop',
        'notebook computer',
        'notebook pc',
        'ultrabook',
        'chromebook',
        'gaming laptop',
        '노트북',
        '랩탑',
        'ordinateur portable',
        '笔记本电脑',
        'ノートパソコン',
        'ノートpc',
        'portátil',
      ],
    ],
    excludes: [
      ...accessoryWords,
      'bag',
      'backpack',
      'cooling pad',
      'table',
      'desk',
      'lock',
      '가방',
      '파우치',
    ],
    hs: ['8471'],
    priceUsd: [120, 5000],
    brand: false,
  },
  {
    id: 'premium_tablet',
    terms: [['ipad*', '아이패드', 'galaxy tab*', '갤럭시탭', '갤럭시 탭']],
    excludes: [...accessoryWords, 'pencil', 'keyboard'],
    hs: ['8471'],
    priceUsd: [250, 2500],
    brand: true,
  },
  {
    id: 'tablet_computer',
    terms: [['tablet pc', 'android tablet', '태블릿', 'tablette tactile', '平板电脑', 'タブレット端末']],
    excludes: accessoryWords,
    hs: ['8471'],
    priceUsd: [50, 2500],
    brand: false,
  },
  {
    id: 'luxury_watch',
    terms: [
      [
        'rolex',
        'omega seamaster',
        'omega speedmaster',
        'omega constellation',
        'patek philippe',
        'audemars piguet',
        'breitling',
        'tag heuer',
        'hublot',
        'jaeger-lecoultre',
        'vacheron constantin',
        'panerai',
        'iwc schaffhausen',
        '롤렉스',
        '오메가 씨마스터',
        '오메가 스피드마스터',
        '파텍필립',
        '오데마피게',
        '브라이틀링',
        '태그호이어',
        '위블로',
        '파네라이',
        '劳力士',
        '欧米茄',
        '百达翡丽',
        '爱彼',
        'ロレックス',
        'オメガ',
        'パテック',
      ],
    ],
    excludes: [...accessoryWords, 'box', 'winder', 'display'],
    hs: ['9101', '9102', '9103'],
    priceUsd: [1500, 200_000],
    brand: true,
  },
  {
    id: 'luxury_jewellery',
    terms: [
      [
        'cartier',
        'tiffany',
        'bvlgari',
        'bulgari',
        'van cleef',
        '까르띠에',
        '티파니',
        '불가리',
        '卡地亚',
        '蒂芙尼',
        'カルティエ',
        'ティファニー',
      ],
    ],
    excludes: ['box', 'pouch', 'bag', 'dust bag'],
    hs: ['7113', '7114', '7116', '7117', '9101', '9102', '4202', '3303'],
    priceUsd: [150, 100_000],
    brand: true,
  },
  {
    id: 'smartwatch',
    terms: [
      [
        'apple watch',
        '애플워치',
        '애플 워치',
        'galaxy watch*',
        '갤럭시워치',
        '갤럭시 워치',
        'garmin',
        'fitbit',
      ],
    ],
    excludes: accessoryWords,
    hs: ['8517', '9102', '8543', '9031'],
    priceUsd: [40, 1500],
    brand: true,
  },
  {
    id: 'watch',
    terms: [
      [
        'watch',
        'wristwatch',
        'wrist watch',
        '시계',
        '손목시계',
        'montre',
        '手表',
        '腕時計',
        'reloj',
        'armbanduhr',
      ],
    ],
    excludes: [...accessoryWords, 'box', 'winder', '벽시계', 'wall', 'clock'],
    hs: ['9101', '9102', '9103', '8517'],
    priceUsd: [3, 200_000],
    brand: false,
  },
  {
    id: 'luxury_bag',
    terms: [
      luxuryFashionBrands,
      [
        'bag',
        'handbag',
        'tote',
        'purse',
        'clutch',
        'backpack',
        'wallet',
        'crossbody',
        '가방',
        '핸드백',
        '숄더백',
        '토트백',
        '지갑',
        '백팩',
        'sac',
        'sac à main',
        'portefeuille',
        '手提包',
        '钱包',
        '包包',
        'バッグ',
        '財布',
        'bolso',
        'tasche',
      ],
    ],
    excludes: [
      'dust bag',
      'shopping bag',
      'paper bag',
      'gift bag',
      'box',
      'charm',
      'strap only',
      '더스트백',
      '쇼핑백',
    ],
    hs: ['4202'],
    priceUsd: [200, 50_000],
    brand: true,
  },
  {
    id: 'luxury_brand_goods',
    terms: [luxuryFashionBrands],
    excludes: [
      'dust bag',
      'shopping bag',
      'paper bag',
      'gift bag',
      'box',
      '더스트백',
      '쇼핑백',
      'inspired',
      'style',
    ],
    hs: ['33', '42', '43', '61', '62', '64', '65', '71', '90', '91', '96'],
    priceUsd: [40, 50_000],
    brand: true,
  },
  {
    id: 'premium_headphones',
    terms: [
      [
        'airpods*',
        '에어팟',
        'galaxy buds*',
        '갤럭시버즈',
        '갤럭시 버즈',
        'bose quietcomfort',
        'sony wh-1000*',
        'wh-1000xm*',
        'beats studio*',
        'beats solo*',
        'powerbeats*',
      ],
    ],
    excludes: [...accessoryWords, 'ear tips', 'eartips', 'hook', '이어팁'],
    hs: ['8518', '8517'],
    priceUsd: [60, 700],
    brand: true,
  },
  {
    id: 'game_console',
    terms: [
      [
        'playstation',
        'ps5',
        'ps4',
        'nintendo switch',
        'xbox',
        'steam deck',
        '닌텐도',
        '플레이스테이션',
        '플스',
        '任天堂',
        'ニンテンドースイッチ',
      ],
      ['console', 'oled', 'system', 'bundle', '본체', '콘솔', '主机', '本体', 'konsole'],
    ],
    excludes: [
      ...accessoryWords,
      'controller',
      'game card',
      'cartridge',
      'joy-con',
      '컨트롤러',
      '타이틀',
      '게임 칩',
    ],
    hs: ['9504'],
    priceUsd: [150, 900],
    brand: true,
  },
  {
    id: 'camera',
    terms: [
      [
        'canon eos',
        'nikon z*',
        'sony alpha',
        'sony a7*',
        'fujifilm x-*',
        'leica',
        'mirrorless camera',
        'dslr',
        'gopro',
        '미러리스',
        '디에스엘알',
        'dslr카메라',
        'appareil photo hybride',
        'appareil photo reflex',
        '单反',
        '微单',
        '一眼レフ',
        'ミラーレス',
      ],
    ],
    excludes: [...accessoryWords, 'battery', 'lens cap', 'bag', 'tripod', '가방', '배터리'],
    hs: ['8525', '9006'],
    priceUsd: [150, 10_000],
    brand: true,
  },
  {
    id: 'premium_drone',
    terms: [['dji mavic*', 'dji air*', 'dji avata*', 'dji inspire*', 'mavic 3*', '매빅', '大疆']],
    excludes: [...accessoryWords, 'propeller', 'battery', 'bag', 'guard', 'parts', '프로펠러', '배터리'],
    hs: ['8806', '8525'],
    priceUsd: [300, 5000],
    brand: true,
  },
  {
    id: 'drone',
    terms: [['drone', 'dji mini*', '드론', '无人机', 'ドローン']],
    excludes: [...accessoryWords, 'propeller', 'battery', 'bag', 'guard', 'parts', '프로펠러', '배터리'],
    hs: ['8806', '8525', '9503'],
    priceUsd: [15, 5000],
    brand: false,
  },
  {
    id: 'graphics_card',
    terms: [
      [
        'geforce',
        'rtx',
        'radeon rx',
        'graphics card',
        '그래픽카드',
        '그래픽 카드',
        'carte graphique',
        '显卡',
        'グラフィックボード',
      ],
    ],
    excludes: ['bracket', 'riser', 'backplate', 'cooler', 'fan', 'cable', 'holder'],
    hs: ['8473', '8471'],
    priceUsd: [120, 3000],
    brand: true,
  },
  {
    id: 'gold_jewellery',
    terms: [
      [
        'gold',
        '18k',
        '14k',
        '24k',
        '순금',
        '금반지',
        '금목걸이',
        '금팔찌',
        'or 18 carats',
        '黄金',
        '金饰',
        '純金',
        'k18',
      ],
      [
        'ring',
        'necklace',
        'bracelet',
        'pendant',
        'earring',
        'chain',
        'bangle',
        '반지',
        '목걸이',
        '팔찌',
        '귀걸이',
        '순금',
        '금반지',
        '금목걸이',
        '금팔찌',
        'bague',
        'collier',
        'boucles',
        '戒指',
        '项链',
        '手镯',
        '指輪',
        'ネックレス',
      ],
    ],
    excludes: [
      'plated',
      'plating',
      'tone',
      'colour',
      'color',
      'coloured',
      'gold-filled',
      'filled',
      'alloy',
      'stainless',
      'brass',
      'fashion',
      'imitation',
      'key ring',
      '도금',
      'plaqué',
      '镀金',
      'メッキ',
      '合金',
    ],
    hs: ['7113', '7114', '7116', '7108'],
    priceUsd: [60, 50_000],
    brand: false,
  },
  {
    id: 'luxury_cosmetics',
    terms: [
      [
        'la mer',
        'sk-ii',
        'sk2',
        'estee lauder',
        'estée lauder',
        'lancome',
        'lancôme',
        'clé de peau',
        'cle de peau',
        'sulwhasoo',
        'sisley',
        'guerlain',
        '설화수',
        '에스티로더',
        '에스티 로더',
        '랑콤',
        '라메르',
        '시슬리',
        '雅诗兰黛',
        '兰蔻',
        '海蓝之谜',
        'エスティローダー',
        'ランコム',
      ],
    ],
    excludes: ['sample', 'tester', 'pouch', 'bag', '샘플', '파우치'],
    hs: ['3303', '3304', '3305', '3307'],
    priceUsd: [15, 1000],
    brand: true,
  },
  {
    id: 'cosmetics',
    terms: [
      [
        'cosmetic',
        'skincare',
        'skin care',
        'serum',
        'moisturiser',
        'moisturizer',
        'face cream',
        'eye cream',
        'lipstick',
        'lip tint',
        'mascara',
        'eyeliner',
        'eyeshadow',
        'sunscreen',
        'sun cream',
        'sheet mask',
        'bb cream',
        'cushion compact',
        '화장품',
        '스킨케어',
        '세럼',
        '수분크림',
        '아이크림',
        '립스틱',
        '틴트',
        '마스카라',
        '아이라이너',
        '선크림',
        '마스크팩',
        'cosmétique',
        'crème visage',
        'rouge à lèvres',
        'mascara',
        '化妆品',
        '护肤品',
        '口红',
        '面霜',
        '精华液',
        '化粧品',
        '美容液',
        '口紅',
        '日焼け止め',
      ],
    ],
    hs: ['3303', '3304', '3305', '3307', '3401'],
    priceUsd: [1, 600],
    brand: false,
  },
  {
    id: 'perfume',
    terms: [
      [
        'perfume',
        'eau de parfum',
        'eau de toilette',
        'cologne',
        'fragrance',
        '향수',
        '퍼퓸',
        'parfum',
        '香水',
        'フレグランス',
      ],
    ],
    excludes: [
      'diffuser',
      'candle',
      'oil burner',
      'atomiser bottle',
      'empty bottle',
      'sample',
      '디퓨저',
      '공병',
    ],
    hs: ['3303', '3307'],
    priceUsd: [3, 1000],
    brand: false,
  },
  {
    id: 'supplements',
    terms: [
      [
        'vitamin*',
        'multivitamin*',
        'supplement',
        'omega-3',
        'omega 3',
        'fish oil',
        'probiotic',
        'collagen',
        'protein powder',
        'whey protein',
        'lutein',
        'glucosamine',
        '영양제',
        '비타민',
        '오메가3',
        '유산균',
        '프로바이오틱스',
        '콜라겐',
        '프로틴',
        '건강기능식품',
        '루테인',
        'complément alimentaire',
        'vitamine*',
        '保健品',
        '维生素',
        '鱼油',
        '益生菌',
        '胶原蛋白',
        'サプリ',
        'ビタミン',
      ],
    ],
    hs: ['2106', '2936', '3004', '1504', '3504', '2101', '1901', '0410', '1302', '2202'],
    priceUsd: [2, 300],
    brand: false,
  },
  {
    id: 'premium_sneakers',
    terms: [['air jordan', 'jordan 1', 'yeezy', 'nike dunk', '조던', '이지부스트', 'nike sb dunk']],
    excludes: ['socks', 'laces', 'keychain', 'box', 'cleaner', 'crease', '양말', '키링'],
    hs: ['64'],
    priceUsd: [60, 5000],
    brand: true,
  },
  {
    id: 'footwear',
    terms: [
      [
        'shoes',
        'shoe',
        'sneaker',
        'boots',
        'sandal',
        'slipper',
        'loafer',
        'flip-flop',
        '신발',
        '운동화',
        '스니커즈',
        '부츠',
        '샌들',
        '슬리퍼',
        'chaussures',
        'baskets',
        'bottes',
        '鞋',
        '运动鞋',
        'スニーカー',
      ],
    ],
    excludes: [
      'shoe rack',
      'shoe box',
      'shoe cleaner',
      'shoelace',
      'shoe horn',
      'insole',
      'shoe bag',
      'boot tray',
      'laces',
      '깔창',
      '신발장',
      '신발끈',
    ],
    hs: ['64', '6406'],
    priceUsd: [1, 5000],
    brand: false,
  },
  {
    id: 'clothing',
    terms: [
      [
        't-shirt',
        'tshirt',
        'tee',
        'shirt',
        'hoodie',
        'sweatshirt',
        'sweater',
        'cardigan',
        'jacket',
        'coat',
        'parka',
        'blouse',
        'jeans',
        'trousers',
        'leggings',
        'skirt',
        'socks',
        'underwear',
        'briefs',
        'bra',
        'swimsuit',
        'bikini',
        'pyjamas',
        'pajamas',
        '티셔츠',
        '셔츠',
        '후드티',
        '맨투맨',
        '니트',
        '자켓',
        '재킷',
        '코트',
        '패딩',
        '원피스',
        '블라우스',
        '청바지',
        '레깅스',
        '양말',
        '속옷',
        '수영복',
        'chemise',
        'veste',
        'manteau',
        'jupe',
        'pantalon',
        'chaussettes',
        '衬衫',
        '外套',
        '连衣裙',
        '裤子',
        '袜子',
        '内衣',
        'シャツ',
        'パーカー',
        'ジャケット',
        'ワンピース',
        '靴下',
      ],
    ],
    excludes: ['dog', 'cat', 'pet', 'doll', 'hanger', 'button', 'patch', 'iron-on', '강아지', '반려', '인형'],
    hs: ['61', '62', '63', '65', '3926', '4015', '4203', '4303'],
    priceUsd: [0.5, 10_000],
    brand: false,
  },
  {
    id: 'toy',
    terms: [
      [
        'toy',
        'plush',
        'stuffed animal',
        'lego',
        'building blocks',
        'action figure',
        'doll',
        'jigsaw',
        '장난감',
        '인형',
        '레고',
        '피규어',
        '퍼즐',
        'jouet',
        'peluche',
        'poupée',
        '玩具',
        '毛绒',
        '积木',
        'おもちゃ',
        'ぬいぐるみ',
        'フィギュア',
        'juguete',
        'spielzeug',
      ],
    ],
    excludes: ['dog toy', 'cat toy', 'pet toy', 'sex toy', 'adult toy', 'toy box'],
    hs: ['95', '4903', '4901'],
    priceUsd: [0.5, 3000],
    brand: false,
  },
  {
    id: 'book',
    terms: [
      [
        'book',
        'novel',
        'paperback',
        'hardcover',
        'textbook',
        'comic book',
        'manga',
        'magazine',
        '책',
        '소설',
        '도서',
        '교재',
        '만화책',
        '잡지',
        'livre',
        'roman',
        'bande dessinée',
        '书籍',
        '图书',
        '小说',
        '漫画',
        '雑誌',
        'libro',
        'buch',
      ],
    ],
    excludes: [
      'book light',
      'bookend',
      'bookshelf',
      'book stand',
      'book cover',
      'book bag',
      'facebook',
      'chromebook',
      'macbook',
      'notebook',
      '책상',
      '책장',
      '책꽂이',
    ],
    hs: ['49', '4820'],
    priceUsd: [0.5, 2000],
    brand: false,
  },
  {
    id: 'notebook_or_laptop',
    terms: [
      [
        'notebook',
        'spiral notebook',
        'diary',
        'planner',
        'journal',
        '공책',
        '다이어리',
        'cahier',
        'carnet',
        'ノート',
      ],
    ],
    hs: ['4820', '4817', '4811', '4901', '8471'],
    priceUsd: [0.3, 5000],
    brand: false,
  },
  {
    id: 'storage_box',
    terms: [
      [
        'storage box',
        'storage bin',
        'organizer',
        'organiser',
        'container',
        '수납함',
        '수납박스',
        '정리함',
        'boîte de rangement',
        '收纳盒',
        '収納ボックス',
      ],
    ],
    hs: [
      '3923',
      '3924',
      '3926',
      '4202',
      '4415',
      '4419',
      '4420',
      '4602',
      '4819',
      '6307',
      '7310',
      '7323',
      '7326',
      '9403',
      '8302',
      '9617',
    ],
    priceUsd: [0.3, 500],
    brand: false,
  },
  {
    id: 'keychain',
    terms: [
      [
        'keychain',
        'key chain',
        'keyring',
        'key ring',
        'key holder',
        '키링',
        '열쇠고리',
        '키홀더',
        'porte-clés',
        'porte-clé',
        '钥匙扣',
        'キーホルダー',
      ],
    ],
    hs: [
      '7117',
      '3926',
      '7326',
      '8301',
      '7419',
      '4202',
      '4205',
      '9503',
      '9505',
      '6307',
      '7616',
      '6217',
      '8306',
      '3924',
      '7113',
    ],
    priceUsd: [0.3, 1000],
    brand: false,
  },
  {
    id: 'fashion_jewellery',
    terms: [
      [
        'fashion',
        'costume',
        'imitation',
        'alloy',
        'beaded',
        'resin',
        'acrylic',
        '패션',
        '합금',
        'fantaisie',
        '合金',
      ],
      [
        'earring',
        'necklace',
        'bracelet',
        'ring',
        'brooch',
        'hair clip',
        '귀걸이',
        '목걸이',
        '팔찌',
        '반지',
        'boucles',
        'collier',
        '耳环',
        '项链',
        'ピアス',
      ],
    ],
    excludes: ['key ring'],
    hs: ['7117', '3926', '9615', '7113'],
    priceUsd: [0.2, 500],
    brand: false,
  },
];

/** Why a description alone holds a parcel: arms, narcotics, counterfeits named outright. */
export type RestrictedKind = 'weapon' | 'narcotic' | 'counterfeit';

export interface RestrictedWords {
  kind: RestrictedKind;
  terms: readonly string[];
  excludes: readonly string[];
}

export const restrictedWords: readonly RestrictedWords[] = [
  {
    kind: 'weapon',
    terms: [
      'gun',
      'pistol',
      'handgun',
      'revolver',
      'rifle',
      'shotgun',
      'firearm',
      'ammunition',
      'ammo',
      'bullet',
      'gunpowder',
      'silencer',
      'suppressor',
      'taser',
      'stun gun',
      'brass knuckle',
      'knuckle duster',
      'switchblade',
      'butterfly knife',
      'balisong',
      'crossbow',
      'hand grenade',
      '총기',
      '권총',
      '소총',
      '엽총',
      '공기총',
      '가스총',
      '모의총포',
      '실탄',
      '탄약',
      '총알',
      '화약',
      '소음기',
      '전기충격기',
      '석궁',
      '수류탄',
      'pistolet',
      'fusil',
      'carabine',
      'munition',
      'arme à feu',
      'poing américain',
      'arbalète',
      '枪支',
      '手枪',
      '步枪',
      '猎枪',
      '气枪',
      '子弹',
      '弹药',
      '火药',
      '消音器',
      '电击枪',
      '手榴弹',
      '拳銃',
      'ライフル',
      '弾薬',
      '実弾',
      'スタンガン',
      'ボウガン',
    ],
    excludes: [
      'glue gun',
      'heat gun',
      'massage gun',
      'massager gun',
      'fascia gun',
      'spray gun',
      'water gun',
      'nail gun',
      'staple gun',
      'caulking gun',
      'grease gun',
      'soldering gun',
      'bubble gun',
      'gunpowder tea',
      'bullet journal',
      'bullet point',
      'pistol grip',
      '글루건',
      '마사지건',
      '물총',
      '비눗방울',
      '筋膜枪',
      '水枪',
      '胶枪',
      '喷枪',
      '泡泡枪',
    ],
  },
  {
    kind: 'narcotic',
    terms: [
      'cocaine',
      'heroin',
      'methamphetamine',
      'amphetamine',
      'meth',
      'crystal meth',
      'mdma',
      'ecstasy pill',
      'lsd',
      'fentanyl',
      'ketamine',
      'cannabis',
      'marijuana',
      'marihuana',
      'hashish',
      'thc',
      'cbd',
      'opium',
      'psilocybin',
      'magic mushroom',
      'kratom',
      'ghb',
      '마약',
      '대마',
      '마리화나',
      '필로폰',
      '메스암페타민',
      '코카인',
      '헤로인',
      '케타민',
      '펜타닐',
      '엑스터시',
      '아편',
      '환각버섯',
      'cocaïne',
      'héroïne',
      'stupéfiant',
      'haschich',
      'champignons hallucinogènes',
      '毒品',
      '大麻',
      '冰毒',
      '可卡因',
      '海洛因',
      '摇头丸',
      '芬太尼',
      '氯胺酮',
      '鸦片',
      '覚醒剤',
      'コカイン',
      'ヘロイン',
      'マリファナ',
      '麻薬',
    ],
    excludes: ['대마도', 'hemp seed oil free'],
  },
  {
    kind: 'counterfeit',
    terms: [
      'replica',
      'counterfeit',
      'fake',
      '1:1 copy',
      'mirror quality',
      'aaa quality',
      'super copy',
      'unbranded copy',
      '레플리카',
      '짝퉁',
      '미러급',
      '가품',
      '이미테이션',
      'contrefaçon',
      'réplique',
      '高仿',
      '仿品',
      '复刻',
      'a货',
      'コピー品',
      '偽物',
      'スーパーコピー',
    ],
    excludes: [
      'fake plant',
      'fake flower',
      'fake eyelash',
      'fake lashes',
      'fake nail',
      'fake fur',
      'fake leather',
      'replica jersey',
    ],
  },
];

/**
 * HS codes whose goods customs always look at: arms and ammunition (chapter 93), and the narcotic
 * alkaloids, coca leaf, poppy straw and opium of the 1961 and 1971 UN conventions' precursor lists.
 */
export const restrictedHsCodes: readonly { prefix: string; kind: Exclude<RestrictedKind, 'counterfeit'> }[] =
  [
    { prefix: '93', kind: 'weapon' },
    { prefix: '293911', kind: 'narcotic' },
    { prefix: '293941', kind: 'narcotic' },
    { prefix: '293942', kind: 'narcotic' },
    { prefix: '293943', kind: 'narcotic' },
    { prefix: '293944', kind: 'narcotic' },
    { prefix: '293945', kind: 'narcotic' },
    { prefix: '293971', kind: 'narcotic' },
    { prefix: '121130', kind: 'narcotic' },
    { prefix: '121140', kind: 'narcotic' },
    { prefix: '130211', kind: 'narcotic' },
  ];

/**
 * HS codes of goods worth hiding under another description: controlled (knives, medicines, tobacco and
 * e-cigarettes, alcohol) or valuable (precious jewellery, watches, phones, computers, cameras, consoles).
 * A description that names something else over one of these codes is a misdeclaration sign.
 */
export const sensitiveHsCodes: readonly string[] = [
  '93',
  '8211',
  '3003',
  '3004',
  '2402',
  '2403',
  '2404',
  '854340',
  '2203',
  '2204',
  '2205',
  '2206',
  '2208',
  '7101',
  '7102',
  '7113',
  '7114',
  '7116',
  '9101',
  '9102',
  '851713',
  '851714',
  '8471',
  '8525',
  '9006',
  '950450',
];

/** NFKC, lower case, runs of spaces as one: how descriptions and terms are compared. */
export function normaliseDescription(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const latinTerm = /^[\p{Script=Latin}\p{N}\s\-'.:&]+\*?$/u;

function escapeTerm(term: string): string {
  return normaliseDescription(term).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches any of several terms; one regular expression per kind of boundary, tried in turn. */
export interface TermMatcher {
  exec(text: string): string | null;
}

/**
 * Latin-script words need word boundaries (one look-around around the whole alternation, which keeps
 * matching fast); words ending in `*` match as prefixes; Hangul, Chinese and Japanese words anywhere.
 */
export function compileTerms(terms: readonly string[]): TermMatcher {
  const whole: string[] = [];
  const prefixes: string[] = [];
  const anywhere: string[] = [];
  for (const term of terms) {
    if (!latinTerm.test(term)) anywhere.push(escapeTerm(term));
    else if (term.endsWith('*')) prefixes.push(escapeTerm(term.slice(0, -1)));
    else whole.push(escapeTerm(term));
  }
  const patterns: RegExp[] = [];
  // A digit may follow a whole word ("iphone15"), and plurals are allowed.
  if (whole.length > 0)
    patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])(?:${whole.join('|')})(?:e?s)?(?![\\p{L}])`, 'u'));
  if (prefixes.length > 0) patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])(?:${prefixes.join('|')})`, 'u'));
  if (anywhere.length > 0) patterns.push(new RegExp(anywhere.join('|'), 'u'));
  return {
    exec(text) {
      for (const pattern of patterns) {
        const match = pattern.exec(text);
        if (match) return match[0];
      }
      return null;
    },
  };
}

interface CompiledClass {
  productClass: ProductClass;
  groups: TermMatcher[];
  excludes: TermMatcher | null;
}

const compiledClasses: CompiledClass[] = productClasses.map((productClass) => ({
  productClass,
  groups: productClass.terms.map(compileTerms),
  excludes:
    productClass.excludes && productClass.excludes.length > 0 ? compileTerms(productClass.excludes) : null,
}));

const compiledRestricted = restrictedWords.map((entry) => ({
  kind: entry.kind,
  terms: compileTerms(entry.terms),
  excludes: compileTerms(entry.excludes),
}));

/** A class recognised in a description, with the words that named it. */
export interface RecognisedClass {
  productClass: ProductClass;
  words: string[];
}

/** Every product class a description names, most specific (more term groups, higher price) first. */
export function recogniseProductClasses(description: string): RecognisedClass[] {
  const text = normaliseDescription(description);
  const found: RecognisedClass[] = [];
  for (const compiled of compiledClasses) {
    const words: string[] = [];
    let all = true;
    for (const group of compiled.groups) {
      const match = group.exec(text);
      if (match === null) {
        all = false;
        break;
      }
      words.push(match);
    }
    if (all && compiled.excludes?.exec(text) != null) continue;
    if (all) found.push({ productClass: compiled.productClass, words });
  }
  return found.sort(
    (a, b) =>
      b.productClass.terms.length - a.productClass.terms.length ||
      b.productClass.priceUsd[0] - a.productClass.priceUsd[0],
  );
}

/** The restricted words a description names (arms, narcotics, counterfeits), with the word found. */
export function restrictedWordsIn(description: string): { kind: RestrictedKind; word: string }[] {
  const text = normaliseDescription(description);
  const found: { kind: RestrictedKind; word: string }[] = [];
  for (const entry of compiledRestricted) {
    const match = entry.terms.exec(text);
    if (match !== null && entry.excludes.exec(text) === null) found.push({ kind: entry.kind, word: match });
  }
  return found;
}

/** What a description says about the goods: the classes it names and any restricted words. */
export interface GoodsReading {
  classes: RecognisedClass[];
  restricted: { kind: RestrictedKind; word: string }[];
}

const readings = new Map<string, GoodsReading>();
const READINGS_KEPT = 20_000;

/**
 * Reads a description, remembering the latest ones: marketplace titles repeat from parcel to parcel,
 * and a remembered reading costs a map lookup instead of some 20 microseconds of matching.
 */
export function readGoods(description: string): GoodsReading {
  let reading = readings.get(description);
  if (!reading) {
    if (readings.size >= READINGS_KEPT) readings.clear();
    reading = { classes: recogniseProductClasses(description), restricted: restrictedWordsIn(description) };
    readings.set(description, reading);
  }
  return reading;
}

export function restrictedHsKind(hsCode: string | null): Exclude<RestrictedKind, 'counterfeit'> | null {
  if (!hsCode) return null;
  return restrictedHsCodes.find((entry) => hsCode.startsWith(entry.prefix))?.kind ?? null;
}

export function isSensitiveHs(hsCode: string): boolean {
  return sensitiveHsCodes.some((prefix) => hsCode.startsWith(prefix));
}

/** Whether an HS code belongs under one of the classes (a prefix of it is listed). */
export function hsFitsClasses(hsCode: string, classes: readonly RecognisedClass[]): boolean {
  return classes.some(({ productClass }) => productClass.hs.some((prefix) => hsCode.startsWith(prefix)));
}
