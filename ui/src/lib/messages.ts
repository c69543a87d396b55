// The UI's words in English and Danish. Every key exists in both (a unit test checks it),
// so switching language never shows a half-translated screen.

export const languages = ['en', 'da'] as const;
export type Language = (typeof languages)[number];

export const views = [
  'overview',
  'quotas',
  'missions',
  'cases',
  'placement',
  'documents',
  'settings',
] as const;
export type View = (typeof views)[number];

const en = {
  'app.title': 'Resettle',
  'app.skip': 'Skip to content',
  'nav.label': 'Main',
  'nav.overview': 'Overview',
  'nav.quotas': 'Quotas',
  'nav.missions': 'Missions',
  'nav.cases': 'Cases',
  'nav.placement': 'Placement',
  'nav.documents': 'Documents',
  'nav.settings': 'Settings',
  'nav.shortcut': 'Alt+{n}',
  'overview.loading': 'Loading figures from the database…',
  'overview.error': 'The figures could not be read: {message}',
  'overview.retry': 'Try again',
  'overview.households': 'Households',
  'overview.persons': 'Persons',
  'overview.missions': 'Missions',
  'overview.municipalities': 'Municipalities',
  'overview.byPriority': 'Households by UNHCR priority',
  'overview.emergency': 'Emergency',
  'overview.urgent': 'Urgent',
  'overview.normal': 'Normal',
  'overview.period': 'Quota period {start}–{end}: {places} places',
  'overview.noPeriod': 'No quota period has been set up yet.',
  'overview.empty': 'The database is empty. Run `resettle demo-data` to load the demo data set.',
  'later.text': 'This view is not in this version yet. It arrives with: {what}.',
  'later.quotas': 'the three-year quota engine with carry-over and sub-quotas',
  'later.missions': 'selection missions, interviews and integration scoring',
  'later.cases': 'case dossiers, submission import and decisions',
  'later.placement': 'placement in municipalities',
  'later.documents': 'declarations, referral forms and municipality packs',
  'settings.language': 'Language',
  'settings.database': 'Database',
  'settings.version': 'Version',
  'settings.shortcuts': 'Keyboard: Alt+1 to Alt+7 open the views in the order of the menu.',
} as const;

export type MessageKey = keyof typeof en;

const da: Record<MessageKey, string> = {
  'app.title': 'Resettle',
  'app.skip': 'Gå til indhold',
  'nav.label': 'Hovedmenu',
  'nav.overview': 'Overblik',
  'nav.quotas': 'Kvoter',
  'nav.missions': 'Missioner',
  'nav.cases': 'Sager',
  'nav.placement': 'Placering',
  'nav.documents': 'Dokumenter',
  'nav.settings': 'Indstillinger',
  'nav.shortcut': 'Alt+{n}',
  'overview.loading': 'Henter tal fra databasen…',
  'overview.error': 'Tallene kunne ikke læses: {message}',
  'overview.retry': 'Prøv igen',
  'overview.households': 'Husstande',
  'overview.persons': 'Personer',
  'overview.missions': 'Missioner',
  'overview.municipalities': 'Kommuner',
  'overview.byPriority': 'Husstande efter UNHCR-prioritet',
  'overview.emergency': 'Akut (emergency)',
  'overview.urgent': 'Hastende (urgent)',
  'overview.normal': 'Normal',
  'overview.period': 'Kvoteperiode {start}–{end}: {places} pladser',
  'overview.noPeriod': 'Der er endnu ikke oprettet en kvoteperiode.',
  'overview.empty': 'Databasen er tom. Kør `resettle demo-data` for at indlæse demodata.',
  'later.text': 'Denne visning findes ikke i denne version endnu. Den kommer med: {what}.',
  'later.quotas': 'den treårige kvotemotor med overførsel og delkvoter',
  'later.missions': 'udvælgelsesmissioner, interview og integrationsvurdering',
  'later.cases': 'sagsakter, import af indstillinger og afgørelser',
  'later.placement': 'visitering til kommuner',
  'later.documents': 'erklæringer, visiteringsskemaer og kommunepakker',
  'settings.language': 'Sprog',
  'settings.database': 'Database',
  'settings.version': 'Version',
  'settings.shortcuts': 'Tastatur: Alt+1 til Alt+7 åbner visningerne i menuens rækkefølge.',
};

export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, da };

export const languageNames: Record<Language, string> = { en: 'English', da: 'Dansk' };

/** Looks a message up and fills its `{placeholders}`. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Formats a count the way the language writes numbers (1.500 in Danish, 1,500 in English). */
export function formatNumber(language: Language, n: number): string {
  return new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-GB').format(n);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}
