import type { SeededRandom } from '../platform/random/seeded-random.js';

/**
 * Countries parcels come from, the marketplaces that sell to Korean buyers, and their sellers. Every
 * marketplace and seller name is invented (and uses the reserved `.example` domain) so that demo data
 * never names a real company.
 */

export interface OriginCountry {
  code: string;
  /** Share of e-commerce parcels to Korea (China dominates, as in KCS statistics). */
  weight: number;
  /** Currency sellers of this country declare in, and the share of parcels declared in USD instead. */
  currency: string;
  usdShare: number;
  /** International phone prefix and the number of digits that follow it. */
  phonePrefix: string;
  phoneDigits: number;
  /** Sellers of this country are named after their city (`Shenzhen Brightway Electronics Co., Ltd`). */
  cityNamed?: boolean;
  cities: readonly (readonly [city: string, postcode: string, streets: readonly string[]])[];
  /** Words that seller names of this country are built from. */
  sellerPrefixes: readonly string[];
  sellerNouns: readonly string[];
  sellerSuffixes: readonly string[];
}

export const originCountries: readonly OriginCountry[] = [
  {
    code: 'CN',
    weight: 56,
    currency: 'CNY',
    usdShare: 0.8,
    phonePrefix: '+86 13',
    phoneDigits: 9,
    cityNamed: true,
    cities: [
      [
        'Shenzhen',
        '518000',
        [
          'Huaqiang North Road, Futian District',
          'Bantian Wuhe Avenue, Longgang District',
          'Minzhi Street, Longhua District',
        ],
      ],
      [
        'Guangzhou',
        '510000',
        [
          'Zhongshan 5th Road, Yuexiu District',
          'Huangpu Avenue, Tianhe District',
          'Jiangnan Avenue, Haizhu District',
        ],
      ],
      [
        'Yiwu',
        '322000',
        ['Futian Road, International Trade City', 'Chouzhou North Road', 'Xuefeng West Road'],
      ],
      ['Hangzhou', '310000', ['Wensan Road, Xihu District', 'Binsheng Road, Binjiang District']],
      ['Dongguan', '523000', ['Dongcheng Middle Road', 'Humen Avenue']],
      ['Shanghai', '200000', ['Caoxi North Road, Xuhui District', 'Zhangjiang Road, Pudong New Area']],
    ],
    sellerPrefixes: ['Shenzhen', 'Guangzhou', 'Yiwu', 'Hangzhou', 'Dongguan', 'Ningbo', 'Xiamen'],
    sellerNouns: [
      'Brightway',
      'Sunrise',
      'Lucky Star',
      'Golden Bridge',
      'Happy Home',
      'Jiayi',
      'Haoyun',
      'Tianli',
      'Xinda',
      'Kaixin',
      'Longteng',
      'Meihua',
    ],
    sellerSuffixes: [
      'Electronics Co., Ltd',
      'Trading Co., Ltd',
      'E-commerce Co., Ltd',
      'Apparel Store',
      'Technology Co., Ltd',
      'Home Goods Store',
      'Industrial Co., Ltd',
    ],
  },
  {
    code: 'US',
    weight: 15,
    currency: 'USD',
    usdShare: 1,
    phonePrefix: '+1 ',
    phoneDigits: 10,
    cities: [
      ['Los Angeles', '90021', ['S Alameda St', 'E Olympic Blvd', 'Wilshire Blvd']],
      ['Newark', '07114', ['Frelinghuysen Ave', 'Doremus Ave']],
      ['Portland', '97217', ['N Columbia Blvd', 'NE Marine Dr']],
      ['Seattle', '98108', ['E Marginal Way S', 'Airport Way S']],
      ['Torrance', '90501', ['Maple Ave', 'Crenshaw Blvd']],
    ],
    sellerPrefixes: [
      'Blue Ridge',
      'Pacific',
      'Liberty',
      'Redwood',
      'Evergreen',
      'Summit',
      'Lakeside',
      'Prairie',
    ],
    sellerNouns: [
      'Outfitters',
      'Gadget Supply',
      'Vitamins',
      'Home & Kitchen',
      'Sports',
      'Beauty Lab',
      'Tools',
    ],
    sellerSuffixes: ['LLC', 'Inc.', 'Co.', 'Store'],
  },
  {
    code: 'JP',
    weight: 8,
    currency: 'JPY',
    usdShare: 0.1,
    phonePrefix: '+81 3-',
    phoneDigits: 8,
    cities: [
      ['Tokyo', '135-0064', ['Aomi, Koto-ku', 'Shibaura, Minato-ku', 'Akihabara, Chiyoda-ku']],
      ['Osaka', '559-0034', ['Nankokita, Suminoe-ku', 'Nipponbashi, Naniwa-ku']],
      ['Fukuoka', '812-0013', ['Hakataekihigashi, Hakata-ku']],
    ],
    sellerPrefixes: ['Tokyo', 'Osaka', 'Sakura', 'Fuji', 'Hikari', 'Midori'],
    sellerNouns: ['Shoten', 'Goods', 'Select', 'Hobby', 'Cosme', 'Kitchen'],
    sellerSuffixes: ['K.K.', 'Co., Ltd', 'Store'],
  },
  {
    code: 'DE',
    weight: 4,
    currency: 'EUR',
    usdShare: 0.05,
    phonePrefix: '+49 30 ',
    phoneDigits: 8,
    cities: [
      ['Berlin', '10115', ['Chausseestraße', 'Invalidenstraße']],
      ['Hamburg', '20457', ['Am Sandtorkai', 'Großer Grasbrook']],
      ['Leipzig', '04109', ['Petersstraße', 'Karl-Liebknecht-Straße']],
    ],
    sellerPrefixes: ['Nord', 'Alpen', 'Rhein', 'Elbe', 'Schwarzwald'],
    sellerNouns: ['Haushaltswaren', 'Sport', 'Technik', 'Naturkosmetik', 'Spielwaren'],
    sellerSuffixes: ['GmbH', 'GmbH & Co. KG', 'e.K.'],
  },
  {
    code: 'FR',
    weight: 3,
    currency: 'EUR',
    usdShare: 0.05,
    phonePrefix: '+33 1 ',
    phoneDigits: 8,
    cities: [
      ['Paris', '75011', ['Rue Oberkampf', 'Boulevard Voltaire']],
      ['Lyon', '69002', ['Rue de la République', 'Quai Saint-Antoine']],
    ],
    sellerPrefixes: ['Maison', 'Atelier', 'Boutique', 'Comptoir'],
    sellerNouns: ['Lumière', 'Provence', 'Belle Peau', 'Parisienne', 'du Sud'],
    sellerSuffixes: ['SARL', 'SAS'],
  },
  {
    code: 'GB',
    weight: 3,
    currency: 'GBP',
    usdShare: 0.1,
    phonePrefix: '+44 20 ',
    phoneDigits: 8,
    cities: [
      ['London', 'E14 5AB', ['Marsh Wall', 'Westferry Road']],
      ['Manchester', 'M1 2WD', ['Portland Street', 'Piccadilly']],
    ],
    sellerPrefixes: ['Thames', 'Albion', 'Camden', 'Highland', 'Oxford'],
    sellerNouns: ['Trading', 'Teas', 'Outdoor', 'Books', 'Apothecary'],
    sellerSuffixes: ['Ltd', 'Limited', 'Co.'],
  },
  {
    code: 'VN',
    weight: 4,
    currency: 'USD',
    usdShare: 1,
    phonePrefix: '+84 9',
    phoneDigits: 8,
    cities: [
      ['Ho Chi Minh City', '700000', ['Nguyen Hue Street, District 1', 'Cong Hoa Street, Tan Binh District']],
      ['Hanoi', '100000', ['Hang Bai Street, Hoan Kiem District', 'Kim Ma Street, Ba Dinh District']],
    ],
    sellerPrefixes: ['Saigon', 'Mekong', 'Hanoi', 'Lotus'],
    sellerNouns: ['Silk', 'Coffee', 'Fashion', 'Crafts'],
    sellerSuffixes: ['Co., Ltd', 'Trading JSC'],
  },
  {
    code: 'HK',
    weight: 5,
    currency: 'HKD',
    usdShare: 0.7,
    phonePrefix: '+852 ',
    phoneDigits: 8,
    cities: [
      ['Kowloon', '999077', ['Nathan Road, Mong Kok', 'Hung To Road, Kwun Tong']],
      ['Hong Kong', '999077', ['Des Voeux Road Central', "Queen's Road East, Wan Chai"]],
    ],
    sellerPrefixes: ['Kowloon', 'Victoria', 'Harbour', 'Pearl'],
    sellerNouns: ['Digital', 'Watch', 'Trading', 'Beauty'],
    sellerSuffixes: ['Ltd', 'Company Limited'],
  },
  {
    code: 'TW',
    weight: 1,
    currency: 'USD',
    usdShare: 1,
    phonePrefix: '+886 2 ',
    phoneDigits: 8,
    cities: [['Taipei', '110', ['Xinyi Road, Xinyi District', 'Zhongxiao East Road']]],
    sellerPrefixes: ['Formosa', 'Taipei', 'Jade'],
    sellerNouns: ['Tech', 'Tea House', 'Cycling'],
    sellerSuffixes: ['Co., Ltd', 'Corp.'],
  },
  {
    code: 'IT',
    weight: 1,
    currency: 'EUR',
    usdShare: 0.05,
    phonePrefix: '+39 02 ',
    phoneDigits: 8,
    cities: [['Milano', '20121', ['Via della Spiga', 'Corso Como']]],
    sellerPrefixes: ['Bottega', 'Casa', 'Stile'],
    sellerNouns: ['Milano', 'Toscana', 'Italiana'],
    sellerSuffixes: ['S.r.l.', 'S.p.A.'],
  },
];

export const originWeights = originCountries.map((origin) => [origin, origin.weight] as const);

export interface Marketplace {
  name: string;
  /** Host of its (invented) web shop under the reserved `.example` top-level domain. */
  host: string;
  sellerIdPrefix: string;
  /** Origin countries it sells from, with weights. */
  origins: Readonly<Record<string, number>>;
}

export const marketplaces: readonly Marketplace[] = [
  {
    name: 'GlobalMart',
    host: 'globalmart.example',
    sellerIdPrefix: 'GM',
    origins: { US: 6, CN: 3, JP: 2, DE: 2, GB: 2, FR: 1, IT: 1, TW: 1 },
  },
  { name: 'DragonBazaar', host: 'dragonbazaar.example', sellerIdPrefix: 'DB', origins: { CN: 10, HK: 2 } },
  { name: 'PennyPlaza', host: 'pennyplaza.example', sellerIdPrefix: 'PP', origins: { CN: 10 } },
  {
    name: 'BidHarbor',
    host: 'bidharbor.example',
    sellerIdPrefix: 'BH',
    origins: { US: 4, GB: 2, DE: 1, HK: 1, JP: 1 },
  },
  { name: 'SakuraMall', host: 'sakuramall.example', sellerIdPrefix: 'SM', origins: { JP: 8 } },
  { name: 'EuroKorb', host: 'eurokorb.example', sellerIdPrefix: 'EK', origins: { DE: 4, FR: 4, IT: 2 } },
  { name: 'MekongMarket', host: 'mekongmarket.example', sellerIdPrefix: 'MM', origins: { VN: 8 } },
];

export interface Seller {
  id: string;
  name: string;
  country: string;
  marketplace: Marketplace;
  /** Korean foreign-seller registration, held by the larger sellers. */
  registrationNumber?: string;
  url: string;
  /** Goods families it mostly sells. */
  specialities: readonly string[];
  city: string;
  postcode: string;
  street: string;
  phone: string;
}

const goodsFamilies = [
  'apparel',
  'footwear',
  'bags',
  'cosmetics',
  'supplements',
  'food',
  'electronics',
  'toys',
  'sports',
  'jewellery',
  'household',
  'baby',
  'stationery',
  'tools',
  'optical',
  'auto',
  'pets',
  'music',
];

/** A seller of an origin country, derived from its index so that no seller list is kept in memory. */
export function sellerOf(random: SeededRandom, origin: OriginCountry, index: number): Seller {
  const candidates = marketplaces.filter((marketplace) => (marketplace.origins[origin.code] ?? 0) > 0);
  const marketplace = random.weighted(
    candidates.map((candidate) => [candidate, candidate.origins[origin.code]!] as const),
  );
  const [city, postcode, streets] = random.pick(origin.cities);
  const prefix = origin.cityNamed ? city : random.pick(origin.sellerPrefixes);
  const name = `${prefix} ${random.pick(origin.sellerNouns)} ${random.pick(origin.sellerSuffixes)}`;
  const id = `${marketplace.sellerIdPrefix}-${origin.code}${String(index).padStart(6, '0')}`;
  const specialities = [random.pick(goodsFamilies), random.pick(goodsFamilies)];
  return {
    id,
    name,
    country: origin.code,
    marketplace,
    registrationNumber: random.chance(0.3) ? `KFS-${random.digits(8)}` : undefined,
    url: `https://${marketplace.host}/store/${id.toLowerCase()}`,
    specialities,
    city,
    postcode,
    street: `${random.int(1, 888)} ${random.pick(streets)}`,
    phone: `${origin.phonePrefix}${random.digits(origin.phoneDigits)}`,
  };
}
