import { fillTemplate, type Locale } from '../../../platform/i18n/locale.js';

/**
 * Everything the portal writes for consumers, in the three languages, by stable key. Plain words only:
 * no lane colours, scores or targeting criteria, only what happens to the parcel and what to do.
 */
const wording = {
  'step.declared': { en: 'Declared', ko: '신고 접수', fr: 'Déclaré' },
  'step.arrived': { en: 'Arrived in Korea', ko: '입항', fr: 'Arrivé en Corée' },
  'step.assessed': { en: 'Tax assessed', ko: '세액 심사', fr: 'Taxes évaluées' },
  'step.held': { en: 'Held by customs', ko: '통관 보류', fr: 'Retenu par la douane' },
  'step.inspected': { en: 'Inspected', ko: '검사', fr: 'Inspecté' },
  'step.released': { en: 'Released', ko: '반출(통관 완료)', fr: 'Dédouané' },
  'step.seized': { en: 'Seized', ko: '압수', fr: 'Saisi' },
  'step.returned': { en: 'Returned to sender', ko: '반송', fr: 'Renvoyé à l’expéditeur' },

  'hold.exchange_rate': {
    en: 'Customs is waiting for this week’s official exchange rate before it can work out the tax.',
    ko: '세액 계산에 필요한 이번 주 관세청 고시 환율을 기다리고 있습니다.',
    fr: 'La douane attend le taux de change officiel de la semaine pour calculer les taxes.',
  },
  'hold.information': {
    en: 'Customs asked the carrier for more information or a correction about the goods.',
    ko: '세관이 운송사에 물품에 관한 추가 정보 또는 정정을 요청했습니다.',
    fr: 'La douane a demandé au transporteur des informations ou une correction sur les marchandises.',
  },
  'hold.documents': {
    en: 'Customs is checking the documents of this parcel before release.',
    ko: '세관이 반출 전에 이 화물의 서류를 확인하고 있습니다.',
    fr: 'La douane vérifie les documents de ce colis avant de le libérer.',
  },
  'hold.inspection': {
    en: 'The parcel is being inspected (X-ray or opened). Most inspected parcels are released afterwards.',
    ko: '화물을 검사(X-ray 또는 개봉)하고 있습니다. 대부분 검사 후 반출됩니다.',
    fr: 'Le colis est inspecté (rayons X ou ouverture). La plupart sont ensuite libérés.',
  },
  'hold.seized': {
    en: 'Customs seized the goods: they may not be imported. You will receive a letter explaining why.',
    ko: '물품이 압수되었습니다. 수입할 수 없는 물품이며, 사유는 별도로 안내됩니다.',
    fr: 'La douane a saisi les marchandises : elles ne peuvent pas être importées. Un courrier vous expliquera pourquoi.',
  },
  'hold.returned': {
    en: 'The parcel is being sent back to the sender.',
    ko: '화물이 발송인에게 반송됩니다.',
    fr: 'Le colis est renvoyé à l’expéditeur.',
  },

  'check.documents': {
    en: 'This parcel will have its documents checked before release.',
    ko: '이 화물은 반출 전에 서류 확인을 거칩니다.',
    fr: 'Les documents de ce colis seront vérifiés avant sa libération.',
  },
  'check.inspection': {
    en: 'This parcel will be inspected before release; this can add a day or two.',
    ko: '이 화물은 반출 전에 검사를 받으며, 하루이틀 더 걸릴 수 있습니다.',
    fr: 'Ce colis sera inspecté avant sa libération, ce qui peut prendre un ou deux jours de plus.',
  },

  'rule.list_clearance': {
    en: 'List clearance: the goods price ({price}) is within the limit of USD {limit}, so no duty or VAT is due.',
    ko: '목록통관: 물품가격({price})이 한도 USD {limit} 이내여서 관세와 부가세가 없습니다.',
    fr: 'Dédouanement sur liste : le prix des marchandises ({price}) ne dépasse pas USD {limit}, aucun droit ni TVA.',
  },
  'rule.duty_free': {
    en: 'Formal clearance without tax: the goods price ({price}) is within the duty-free limit.',
    ko: '일반통관(면세): 물품가격({price})이 면세 한도 이내입니다.',
    fr: 'Dédouanement normal sans taxes : le prix ({price}) est sous le seuil de franchise.',
  },
  'rule.taxed': {
    en: 'Formal clearance: the goods price ({price}) is over the limit, so the whole value is taxed: duty on the customs value, then VAT of 10 % on the customs value plus duty.',
    ko: '일반통관: 물품가격({price})이 한도를 넘어 전체 가격에 과세됩니다. 과세가격에 관세를, 과세가격과 관세의 합에 부가세 10%를 매깁니다.',
    fr: 'Dédouanement normal : le prix ({price}) dépasse le seuil, toute la valeur est taxée : droits sur la valeur en douane, puis TVA de 10 % sur la valeur plus les droits.',
  },
  'rule.below_minimum': {
    en: 'The tax comes to less than the minimum collected, so nothing is charged.',
    ko: '세액이 징수 최저액 미만이어서 부과되지 않습니다.',
    fr: 'Le montant est inférieur au minimum perçu : rien n’est facturé.',
  },
  'rule.combined': {
    en: 'Combined taxation: this parcel is taxed together with {others} (bought from the same seller on the same day, or split from one waybill).',
    ko: '합산과세: 이 화물은 {others}와(과) 함께 과세됩니다(같은 판매자에게서 같은 날 구매했거나 한 운송장에서 분할됨).',
    fr: 'Taxation groupée : ce colis est taxé avec {others} (même vendeur le même jour, ou fractionné d’une même lettre de transport).',
  },
  'rule.excluded': {
    en: 'Some goods (for example medicines, food or supplements) can never use list clearance.',
    ko: '일부 물품(의약품, 식품, 건강기능식품 등)은 목록통관 대상이 아닙니다.',
    fr: 'Certaines marchandises (médicaments, aliments, compléments…) ne peuvent jamais être dédouanées sur liste.',
  },
  'rule.suspended': {
    en: 'List clearance is suspended under your customs code, so this parcel goes through formal clearance.',
    ko: '귀하의 개인통관고유부호로 목록통관이 정지되어 있어 이 화물은 일반통관됩니다.',
    fr: 'Le dédouanement sur liste est suspendu pour votre code : ce colis passe en dédouanement normal.',
  },
  'rule.pending': {
    en: 'The tax has not been worked out yet.',
    ko: '아직 세액이 계산되지 않았습니다.',
    fr: 'Les taxes n’ont pas encore été calculées.',
  },
  'rate.text': {
    en: '1 {currency} = {rate} won (customs rate for the week of {week})',
    ko: '1 {currency} = {rate}원 ({week} 주간 관세청 고시 환율)',
    fr: '1 {currency} = {rate} wons (taux douanier de la semaine du {week})',
  },
  'duty.tariff': {
    en: 'duty {percent} % (tariff heading {heading})',
    ko: '관세 {percent}% (세번 {heading})',
    fr: 'droits {percent} % (position tarifaire {heading})',
  },
  'duty.default': {
    en: 'duty {percent} % (general rate)',
    ko: '관세 {percent}% (기본세율)',
    fr: 'droits {percent} % (taux général)',
  },

  'next.nothing': {
    en: 'Nothing to do: the carrier will deliver the parcel.',
    ko: '하실 일이 없습니다. 운송사가 배송합니다.',
    fr: 'Rien à faire : le transporteur livrera le colis.',
  },
  'next.wait': {
    en: 'Nothing to do yet: we will update this page as customs works on the parcel.',
    ko: '아직 하실 일이 없습니다. 진행되는 대로 이 화면에 표시됩니다.',
    fr: 'Rien à faire pour l’instant : cette page suivra le travail de la douane.',
  },
  'next.pay': {
    en: 'Pay {amount} won of duty and VAT when the carrier or customs asks you to; the parcel is released once paid.',
    ko: '운송사나 세관의 안내에 따라 관세·부가세 {amount}원을 납부하십시오. 납부 후 반출됩니다.',
    fr: 'Payez {amount} wons de droits et TVA à la demande du transporteur ou de la douane ; le colis est libéré après paiement.',
  },
  'next.answer_carrier': {
    en: 'The carrier may contact you for documents (invoice, order page): answer them quickly.',
    ko: '운송사가 서류(송장, 주문 내역)를 요청할 수 있으니 신속히 회신하십시오.',
    fr: 'Le transporteur peut vous demander des documents (facture, page de commande) : répondez vite.',
  },
  'next.seized': {
    en: 'If you disagree, ask customs a question from this page.',
    ko: '이의가 있으면 이 화면에서 세관에 문의하십시오.',
    fr: 'En cas de désaccord, posez une question à la douane depuis cette page.',
  },
  'next.not_mine': {
    en: 'Did not order this parcel? Report it: list clearance under your code is suspended at once.',
    ko: '주문하지 않은 화물입니까? 신고하시면 즉시 귀하의 부호로 목록통관이 정지됩니다.',
    fr: 'Vous n’avez pas commandé ce colis ? Signalez-le : le dédouanement sur liste sous votre code est suspendu aussitôt.',
  },
  'next.reported': {
    en: 'You reported this parcel; an officer is looking into it.',
    ko: '이 화물을 도용으로 신고하셨습니다. 담당 공무원이 확인하고 있습니다.',
    fr: 'Vous avez signalé ce colis ; un agent l’examine.',
  },

  'mail.link.subject': {
    en: 'Your Clearway code to link your customs code',
    ko: '개인통관고유부호 연결 확인 코드',
    fr: 'Votre code Clearway pour relier votre code douanier',
  },
  'mail.link.text': {
    en: 'Someone asked to link the personal customs clearance code {pccc} to a Clearway account.\nIf it was you, enter this code:\n\n    {code}\n\nIt is valid for 10 minutes. If it was not you, ignore this message: the code stays unlinked.\n',
    ko: '개인통관고유부호 {pccc}를 Clearway 계정에 연결하려는 요청이 있었습니다.\n본인이 요청했다면 다음 코드를 입력하십시오.\n\n    {code}\n\n10분간 유효합니다. 본인이 아니라면 이 메일을 무시하십시오.\n',
    fr: 'Quelqu’un a demandé à relier le code douanier personnel {pccc} à un compte Clearway.\nSi c’est vous, saisissez ce code :\n\n    {code}\n\nIl est valable 10 minutes. Sinon, ignorez ce message.\n',
  },
  'mail.address.subject': {
    en: 'A parcel was declared under your customs code at an address you have not registered',
    ko: '등록하지 않은 주소로 귀하의 통관부호 화물이 신고되었습니다',
    fr: 'Un colis a été déclaré sous votre code à une adresse non enregistrée',
  },
  'mail.address.text': {
    en: 'Parcel {tracking} ({carrier}) was declared under your personal customs clearance code for delivery to an address that is not among your registered addresses.\nIf you did not order it, report it in the Clearway portal: {url}/my\n',
    ko: '화물 {tracking}({carrier})이(가) 귀하의 개인통관고유부호로 등록되지 않은 배송지에 신고되었습니다.\n주문하지 않았다면 Clearway 포털에서 신고하십시오: {url}/my\n',
    fr: 'Le colis {tracking} ({carrier}) a été déclaré sous votre code douanier pour une adresse qui ne figure pas parmi vos adresses enregistrées.\nSi vous ne l’avez pas commandé, signalez-le sur le portail Clearway : {url}/my\n',
  },
  'mail.renewal.subject': {
    en: 'Your personal customs clearance code expires on {date}',
    ko: '개인통관고유부호가 {date}에 만료됩니다',
    fr: 'Votre code douanier personnel expire le {date}',
  },
  'mail.renewal.text': {
    en: 'Your personal customs clearance code is valid until {date}. Renew it with the customs service before then, or parcels declared under it will lose list clearance.\n',
    ko: '개인통관고유부호의 유효기간은 {date}까지입니다. 그 전에 관세청에서 갱신하지 않으면 목록통관을 받을 수 없습니다.\n',
    fr: 'Votre code douanier personnel est valable jusqu’au {date}. Renouvelez-le auprès de la douane avant cette date, sinon vos colis perdront le dédouanement sur liste.\n',
  },
  'mail.answer.subject': {
    en: 'Customs answered your question: {subject}',
    ko: '문의에 대한 세관 답변: {subject}',
    fr: 'La douane a répondu à votre question : {subject}',
  },
  'mail.answer.text': {
    en: 'Customs answered your question "{subject}":\n\n{answer}\n\nRead it and reply in the Clearway portal: {url}/my\n',
    ko: '문의 "{subject}"에 대한 세관 답변입니다.\n\n{answer}\n\nClearway 포털에서 확인하고 회신하십시오: {url}/my\n',
    fr: 'La douane a répondu à votre question « {subject} » :\n\n{answer}\n\nLisez et répondez sur le portail Clearway : {url}/my\n',
  },
} as const;

export type WordingKey = keyof typeof wording;

/** The sentence for a key in the reader's language, its `{placeholders}` filled. */
export function say(key: WordingKey, locale: Locale, params: Record<string, unknown> = {}): string {
  return fillTemplate(wording[key][locale], params);
}
