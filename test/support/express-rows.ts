/** A small express manifest's header, with the columns the intake tests fill. */
export const EXPRESS_TEST_HEADER =
  'carrier,mawb,flight,arrivalDate,hawb,shipper.name,shipper.street,shipper.city,shipper.country,consignee.name,consignee.street,consignee.city,consignee.country,consignee.pccc,pieces,grossMassKg,currency,seller.id,seller.name,line.description,line.quantity,line.netMassKg,line.value,line.currency,line.hsCode,line.originCountry';

/** One line of a FEDEX house waybill under `EXPRESS_TEST_HEADER`. */
export function expressRow(
  hawb: string,
  description: string,
  value: string,
  seller = 'SHOE-OUT',
  mawb = '023-45678905',
): string {
  return `FEDEX,${mawb},FX5102,2026-11-22,${hawb},Shoe Outlet,9 Elm St,Portland,US,Choi Yuna,7 Haeundae-ro,Busan,KR,P555566667777,1,2.5,USD,${seller},Shop ${seller},"${description}",1,1.1,${value},USD,640399,US`;
}
