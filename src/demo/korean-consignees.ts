import type { SeededRandom } from '../platform/random/seeded-random.js';

/**
 * Korean consignees: names and road-name addresses (도로명주소) in Hangul and in the Latin form that
 * foreign sellers and carriers write. Districts, roads and postcode ranges are real; building numbers
 * and flats are drawn, so no address points at a real household on purpose.
 */

interface District {
  cityHangul: string;
  cityLatin: string;
  districtHangul: string;
  districtLatin: string;
  /** Five-digit postcodes (국가기초구역번호) of the district, [first, last]. */
  postcodes: readonly [number, number];
  roads: readonly (readonly [hangul: string, latin: string])[];
  /** Share of the population of buyers. */
  weight: number;
}

const districts: readonly District[] = [
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '강남구',
    districtLatin: 'Gangnam-gu',
    postcodes: [6000, 6373],
    weight: 6,
    roads: [
      ['테헤란로', 'Teheran-ro'],
      ['논현로', 'Nonhyeon-ro'],
      ['도산대로', 'Dosan-daero'],
      ['압구정로', 'Apgujeong-ro'],
      ['봉은사로', 'Bongeunsa-ro'],
      ['선릉로', 'Seolleung-ro'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '서초구',
    districtLatin: 'Seocho-gu',
    postcodes: [6500, 6800],
    weight: 4,
    roads: [
      ['서초대로', 'Seocho-daero'],
      ['반포대로', 'Banpo-daero'],
      ['강남대로', 'Gangnam-daero'],
      ['방배로', 'Bangbae-ro'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '송파구',
    districtLatin: 'Songpa-gu',
    postcodes: [5500, 5856],
    weight: 5,
    roads: [
      ['올림픽로', 'Olympic-ro'],
      ['송파대로', 'Songpa-daero'],
      ['백제고분로', 'Baekjegobun-ro'],
      ['위례성대로', 'Wiryeseong-daero'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '마포구',
    districtLatin: 'Mapo-gu',
    postcodes: [3900, 4212],
    weight: 4,
    roads: [
      ['월드컵북로', 'World Cup buk-ro'],
      ['양화로', 'Yanghwa-ro'],
      ['독막로', 'Dongmak-ro'],
      ['마포대로', 'Mapo-daero'],
      ['와우산로', 'Wausan-ro'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '관악구',
    districtLatin: 'Gwanak-gu',
    postcodes: [8700, 8866],
    weight: 3,
    roads: [
      ['관악로', 'Gwanak-ro'],
      ['남부순환로', 'Nambusunhwan-ro'],
      ['신림로', 'Sillim-ro'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '영등포구',
    districtLatin: 'Yeongdeungpo-gu',
    postcodes: [7200, 7441],
    weight: 3,
    roads: [
      ['여의대로', 'Yeoui-daero'],
      ['국제금융로', 'Gukjegeumyung-ro'],
      ['영중로', 'Yeongjung-ro'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '노원구',
    districtLatin: 'Nowon-gu',
    postcodes: [1600, 1917],
    weight: 3,
    roads: [
      ['동일로', 'Dongil-ro'],
      ['노원로', 'Nowon-ro'],
      ['상계로', 'Sanggye-ro'],
    ],
  },
  {
    cityHangul: '서울특별시',
    cityLatin: 'Seoul',
    districtHangul: '종로구',
    districtLatin: 'Jongno-gu',
    postcodes: [3000, 3199],
    weight: 1,
    roads: [
      ['종로', 'Jong-ro'],
      ['율곡로', 'Yulgok-ro'],
      ['자하문로', 'Jahamun-ro'],
    ],
  },
  {
    cityHangul: '부산광역시',
    cityLatin: 'Busan',
    districtHangul: '해운대구',
    districtLatin: 'Haeundae-gu',
    postcodes: [48000, 48140],
    weight: 3,
    roads: [
      ['해운대로', 'Haeundae-ro'],
      ['센텀중앙로', 'Centum jungang-ro'],
      ['좌동순환로', 'Jwadongsunhwan-ro'],
    ],
  },
  {
    cityHangul: '부산광역시',
    cityLatin: 'Busan',
    districtHangul: '부산진구',
    districtLatin: 'Busanjin-gu',
    postcodes: [47100, 47399],
    weight: 3,
    roads: [
      ['중앙대로', 'Jungang-daero'],
      ['서면로', 'Seomyeon-ro'],
      ['전포대로', 'Jeonpo-daero'],
    ],
  },
  {
    cityHangul: '인천광역시',
    cityLatin: 'Incheon',
    districtHangul: '연수구',
    districtLatin: 'Yeonsu-gu',
    postcodes: [21900, 22099],
    weight: 3,
    roads: [
      ['송도과학로', 'Songdogwahak-ro'],
      ['컨벤시아대로', 'Convensia-daero'],
      ['아트센터대로', 'Art center-daero'],
    ],
  },
  {
    cityHangul: '인천광역시',
    cityLatin: 'Incheon',
    districtHangul: '남동구',
    districtLatin: 'Namdong-gu',
    postcodes: [21500, 21699],
    weight: 2,
    roads: [
      ['인하로', 'Inha-ro'],
      ['예술로', 'Yesul-ro'],
      ['구월로', 'Guwol-ro'],
    ],
  },
  {
    cityHangul: '대구광역시',
    cityLatin: 'Daegu',
    districtHangul: '수성구',
    districtLatin: 'Suseong-gu',
    postcodes: [42000, 42299],
    weight: 2,
    roads: [
      ['달구벌대로', 'Dalgubeol-daero'],
      ['동대구로', 'Dongdaegu-ro'],
      ['범어로', 'Beomeo-ro'],
    ],
  },
  {
    cityHangul: '대전광역시',
    cityLatin: 'Daejeon',
    districtHangul: '유성구',
    districtLatin: 'Yuseong-gu',
    postcodes: [34100, 34220],
    weight: 2,
    roads: [
      ['대학로', 'Daehak-ro'],
      ['유성대로', 'Yuseong-daero'],
      ['엑스포로', 'Expo-ro'],
    ],
  },
  {
    cityHangul: '광주광역시',
    cityLatin: 'Gwangju',
    districtHangul: '서구',
    districtLatin: 'Seo-gu',
    postcodes: [61900, 62099],
    weight: 2,
    roads: [
      ['상무중앙로', 'Sangmujungang-ro'],
      ['무진대로', 'Mujin-daero'],
      ['운천로', 'Uncheon-ro'],
    ],
  },
  {
    cityHangul: '경기도',
    cityLatin: 'Gyeonggi-do',
    districtHangul: '성남시 분당구',
    districtLatin: 'Bundang-gu, Seongnam-si',
    postcodes: [13400, 13647],
    weight: 4,
    roads: [
      ['판교역로', 'Pangyoyeok-ro'],
      ['분당로', 'Bundang-ro'],
      ['정자일로', 'Jeongjail-ro'],
      ['황새울로', 'Hwangsaeul-ro'],
    ],
  },
  {
    cityHangul: '경기도',
    cityLatin: 'Gyeonggi-do',
    districtHangul: '수원시 영통구',
    districtLatin: 'Yeongtong-gu, Suwon-si',
    postcodes: [16500, 16709],
    weight: 3,
    roads: [
      ['광교중앙로', 'Gwanggyojungang-ro'],
      ['영통로', 'Yeongtong-ro'],
      ['봉영로', 'Bongyeong-ro'],
    ],
  },
  {
    cityHangul: '경기도',
    cityLatin: 'Gyeonggi-do',
    districtHangul: '고양시 일산동구',
    districtLatin: 'Ilsandong-gu, Goyang-si',
    postcodes: [10300, 10499],
    weight: 2,
    roads: [
      ['중앙로', 'Jungang-ro'],
      ['정발산로', 'Jeongbalsan-ro'],
      ['호수로', 'Hosu-ro'],
    ],
  },
];
const districtWeights = districts.map((district) => [district, district.weight] as const);

/** The most common surnames (about 60 % of the population), with their usual romanisation. */
const surnames: readonly (readonly [string, string, number])[] = [
  ['김', 'KIM', 21],
  ['이', 'LEE', 15],
  ['박', 'PARK', 8],
  ['최', 'CHOI', 5],
  ['정', 'JUNG', 5],
  ['강', 'KANG', 2],
  ['조', 'CHO', 2],
  ['윤', 'YOON', 2],
  ['장', 'JANG', 2],
  ['임', 'LIM', 2],
  ['한', 'HAN', 1],
  ['오', 'OH', 1],
  ['서', 'SEO', 1],
  ['신', 'SHIN', 1],
  ['권', 'KWON', 1],
  ['황', 'HWANG', 1],
  ['안', 'AHN', 1],
  ['송', 'SONG', 1],
  ['류', 'RYU', 1],
  ['홍', 'HONG', 1],
];
const surnameWeights = surnames.map((surname) => [surname, surname[2]] as const);

const givenNames: readonly (readonly [string, string])[] = [
  ['민준', 'MINJUN'],
  ['서연', 'SEOYEON'],
  ['지훈', 'JIHOON'],
  ['지우', 'JIWOO'],
  ['하은', 'HAEUN'],
  ['도윤', 'DOYUN'],
  ['서준', 'SEOJUN'],
  ['수아', 'SUA'],
  ['예준', 'YEJUN'],
  ['지민', 'JIMIN'],
  ['현우', 'HYUNWOO'],
  ['유진', 'YUJIN'],
  ['민서', 'MINSEO'],
  ['준영', 'JUNYOUNG'],
  ['은지', 'EUNJI'],
  ['성민', 'SUNGMIN'],
  ['혜진', 'HYEJIN'],
  ['동현', 'DONGHYUN'],
  ['수빈', 'SUBIN'],
  ['영호', 'YOUNGHO'],
  ['미경', 'MIKYUNG'],
  ['정훈', 'JUNGHOON'],
  ['소영', 'SOYOUNG'],
  ['재원', 'JAEWON'],
  ['다은', 'DAEUN'],
  ['태양', 'TAEYANG'],
  ['예린', 'YERIN'],
  ['승우', 'SEUNGWOO'],
  ['지아', 'JIA'],
  ['건우', 'GUNWOO'],
  ['채원', 'CHAEWON'],
  ['우진', 'WOOJIN'],
  ['나연', 'NAYEON'],
  ['시우', 'SIWOO'],
  ['윤서', 'YUNSEO'],
  ['민호', 'MINHO'],
  ['경수', 'KYUNGSOO'],
  ['영희', 'YOUNGHEE'],
  ['상철', 'SANGCHUL'],
  ['보람', 'BORAM'],
];

/** How a consignee is written on a parcel. */
export interface KoreanParty {
  name: string;
  street: string;
  postcode: string;
  city: string;
  country: 'KR';
  phone: string;
}

/** A Korean person's name, in Hangul (`김민준`) or as foreign sellers write it (`KIM MINJUN`). */
export function koreanName(random: SeededRandom, script: 'hangul' | 'latin'): string {
  const [surnameHangul, surnameLatin] = random.weighted(surnameWeights);
  const [givenHangul, givenLatin] = random.pick(givenNames);
  return script === 'hangul' ? `${surnameHangul}${givenHangul}` : `${surnameLatin} ${givenLatin}`;
}

/** A Korean road-name address in one script, with a mobile number. */
export function koreanAddress(random: SeededRandom, script: 'hangul' | 'latin'): Omit<KoreanParty, 'name'> {
  const district = random.weighted(districtWeights);
  const [roadHangul, roadLatin] = random.pick(district.roads);
  const buildingNumber = random.int(1, 420);
  const postcode = String(random.int(district.postcodes[0], district.postcodes[1])).padStart(5, '0');
  // Most buyers live in apartment blocks: building (동) and flat (호) numbers follow the street.
  const apartment = random.chance(0.7);
  const block = random.int(101, 125);
  const flat = random.int(1, 25) * 100 + random.int(1, 8);
  const phone = `010-${random.digits(4)}-${random.digits(4)}`;
  if (script === 'hangul') {
    const unit = apartment ? ` ${block}동 ${flat}호` : '';
    return {
      street: `${district.districtHangul} ${roadHangul} ${buildingNumber}${unit}`,
      postcode,
      city: district.cityHangul,
      country: 'KR',
      phone,
    };
  }
  const unit = apartment ? `${block}-${flat}, ` : '';
  return {
    street: `${unit}${buildingNumber} ${roadLatin}, ${district.districtLatin}`,
    postcode,
    city: district.cityLatin,
    country: 'KR',
    phone,
  };
}

/** A whole consignee: one script for name and address, as one person consistently writes them. */
export function koreanParty(random: SeededRandom): KoreanParty {
  const script = random.chance(0.45) ? 'hangul' : 'latin';
  return { name: koreanName(random, script), ...koreanAddress(random, script) };
}
