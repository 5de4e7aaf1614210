import type { Locale } from '../../../platform/i18n/locale.js';

/**
 * The mails identity sends to account holders, in the holder's language. A mail has no request to
 * take a language from: it is written in the language the holder chose (stored on the account), else
 * in the one the request that caused it named, else (for officers, who may read any of the three)
 * in all three languages.
 */
export interface AccountMail {
  subject: string;
  text: string;
}

/** The one-time code of a consumer's sign-in or address verification. */
export function oneTimeCodeMail(
  code: string,
  purpose: 'sign_in' | 'verify_email',
  locale: Locale,
): AccountMail {
  const verify = purpose === 'verify_email';
  switch (locale) {
    case 'ko':
      return {
        subject: `Clearway 인증 코드: ${code}`,
        text: `Clearway ${verify ? '이메일 주소 확인' : '로그인'} 코드입니다:\n\n    ${code}\n\n10분 동안 유효합니다. 요청하지 않았다면 이 메일을 무시하십시오. 이 코드 없이는 누구도 로그인할 수 없습니다.\n`,
      };
    case 'fr':
      return {
        subject: `Votre code Clearway : ${code}`,
        text: `Votre code pour ${verify ? 'confirmer votre adresse e-mail' : 'vous connecter'} à Clearway est :\n\n    ${code}\n\nIl est valable 10 minutes. Si vous ne l'avez pas demandé, ignorez ce message : personne ne peut se connecter sans lui.\n`,
      };
    case 'en':
      return {
        subject: `Your Clearway code: ${code}`,
        text: `Your code to ${verify ? 'confirm your e-mail address' : 'sign in'} at Clearway is:\n\n    ${code}\n\nIt is valid for 10 minutes. If you did not ask for it, ignore this message: nobody can sign in without it.\n`,
      };
  }
}

/** To the holder of an address that someone tried to register again. */
export function alreadyRegisteredMail(email: string, publicUrl: string, locale: Locale): AccountMail {
  switch (locale) {
    case 'ko':
      return {
        subject: 'Clearway 계정 안내',
        text: `누군가 ${email} 주소로 Clearway 가입을 요청했지만 이 주소에는 이미 계정이 있습니다.\n로그인하려면 ${publicUrl} 에서 로그인 코드를 요청하십시오.\n본인이 아니라면 이 메일을 무시해도 됩니다.\n`,
      };
    case 'fr':
      return {
        subject: 'Votre compte Clearway',
        text: `Quelqu'un a demandé à inscrire ${email} à Clearway, mais cette adresse a déjà un compte.\nPour vous connecter, demandez un code de connexion sur ${publicUrl}.\nSi ce n'était pas vous, vous pouvez ignorer ce message.\n`,
      };
    case 'en':
      return {
        subject: 'Your Clearway account',
        text: `Someone asked to register ${email} with Clearway, but it already has an account.\nTo sign in, ask for a sign-in code at ${publicUrl}.\nIf this was not you, you can ignore this message.\n`,
      };
  }
}

const failedSignIns: Record<Locale, { subject: string; text: (failures: number) => string }> = {
  ko: {
    subject: '로그인 실패',
    text: (failures) =>
      `Clearway 계정에 로그인이 ${failures}번 실패했습니다. 이후 시도는 잠시 지연됩니다. 본인이 아니라면 관리자에게 알리고 비밀번호를 바꾸십시오.`,
  },
  en: {
    subject: 'failed sign-ins',
    text: (failures) =>
      `There were ${failures} failed sign-ins to your Clearway account; further attempts are slowed down for a while. If this was not you, tell your administrator and change your password.`,
  },
  fr: {
    subject: 'échecs de connexion',
    text: (failures) =>
      `${failures} tentatives de connexion à votre compte Clearway ont échoué ; les suivantes sont ralenties pendant un moment. Si ce n'était pas vous, prévenez votre administrateur et changez votre mot de passe.`,
  },
};

/**
 * To an officer whose sign-ins are being slowed down: in the officer's language, or in the three
 * languages of the console when the officer never chose one (the sign-in attempt is not theirs).
 */
export function failedSignInsMail(failures: number, locale: Locale | null): AccountMail {
  const shown: Locale[] = locale ? [locale] : ['ko', 'en', 'fr'];
  return {
    subject: `Clearway: ${shown.map((language) => failedSignIns[language].subject).join(' / ')}`,
    text: `${shown.map((language) => failedSignIns[language].text(failures)).join('\n\n')}\n`,
  };
}
