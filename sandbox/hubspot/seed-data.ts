/** Word lists for realistic, deterministic demo data. */
export const FIRST_NAMES = ['Olivia', 'Liam', 'Emma', 'Noah', 'Amelia', 'Oliver', 'Sophia', 'Elijah', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Harper', 'Levi', 'Evelyn', 'Ethan', 'Priya', 'Arjun', 'Yuki', 'Hiroshi', 'Fatima', 'Omar', 'Chloé', 'Louis', 'Ingrid', 'Lars', 'Sofía', 'Diego', 'Aisha', 'Kwame', 'Zoe', 'Jack', 'Grace', 'Henry', 'Nora', 'Leo', 'Hannah', 'Samuel', 'Aurora', 'Daniel', 'Léa', 'Finn', 'Marta', 'Tomás', 'Anika', 'Ravi', 'Mei', 'Wei', 'Sean', 'Siobhan']
export const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Patel', 'Nguyen', 'Kim', 'Müller', 'Schmidt', 'Dubois', 'Rossi', 'Tanaka', 'Sato', 'Okafor', 'Mensah', 'Kowalski', 'Novak', 'Jensen', 'Andersson', "O'Brien", 'MacLeod', 'Silva', 'Santos', 'Costa', 'Ivanova', 'Cohen', 'Haddad', 'Singh', 'Chen', 'Wang', 'Murphy', 'Walsh', 'Byrne', 'Clarke']
export const COMPANY_WORDS_A = ['Acme', 'Blue', 'Bright', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Keystone', 'Lumen', 'Maple', 'Northwind', 'Orbit', 'Pioneer', 'Quartz', 'Redwood', 'Summit', 'Tidal', 'Umbra', 'Vertex', 'Willow', 'Zenith']
export const COMPANY_WORDS_B = ['Analytics', 'Labs', 'Logistics', 'Systems', 'Health', 'Foods', 'Energy', 'Robotics', 'Media', 'Capital', 'Partners', 'Software', 'Works', 'Networks', 'Dynamics', 'Studios', 'Supply', 'Bio', 'Cloud', 'Retail']
export const SUFFIXES = ['Inc.', 'LLC', 'Ltd', 'GmbH', 'Co.', 'Group', '']
export const TLDS = ['com', 'io', 'co', 'co.uk', 'de', 'fr', 'com.au']
export const CITIES: Array<[city: string, country: string]> = [
  ['San Francisco', 'United States'], ['New York', 'United States'], ['Austin', 'United States'], ['London', 'United Kingdom'],
  ['Manchester', 'United Kingdom'], ['Berlin', 'Germany'], ['Munich', 'Germany'], ['Paris', 'France'], ['Lyon', 'France'],
  ['Sydney', 'Australia'], ['Toronto', 'Canada'], ['Dublin', 'Ireland'], ['Amsterdam', 'Netherlands'], ['Madrid', 'Spain'],
]
export const JOB_TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Marketing', 'Account Executive', 'Operations Manager', 'Software Engineer', 'Product Manager', 'Office Manager', 'Procurement Lead', 'Customer Success Manager', 'CFO', 'Founder']
export const PRODUCTS = ['Annual license', 'Pilot', 'Expansion', 'Renewal', 'Onboarding package', 'Enterprise plan', 'Support add-on']
export const TEAMS = [{ id: '5001', name: 'Inside Sales' }, { id: '5002', name: 'Enterprise' }, { id: '5003', name: 'EMEA' }]

// Area codes of large US cities: a random one from 200-899 is often not in service (N11,
// 37x, 96x ...), which libphonenumber-js (and so the app, reading with a US default) rejects.
// 415 is left out: tests give their own leads 415 555-01xx numbers, which must match no seeded one.
const US_AREA_CODES = [
  '201', '202', '203', '206', '212', '213', '214', '215', '216', '224', '248', '267', '281', '301', '303', '305', '310', '312', '313', '314', '323',
  '347', '404', '407', '408', '410', '412', '425', '469', '480', '503', '504', '510', '512', '513', '602', '612', '614', '615', '617', '619',
  '626', '646', '650', '702', '703', '704', '713', '714', '718', '720', '786', '801', '804', '813', '818', '832', '858', '917', '919', '952', '972',
]
/** What a rep sometimes types instead of a number: none of it is a phone number anywhere. */
const JUNK_PHONES = ['n/a', 'ask reception', '555-0199', '+1 (000) 000-0000', 'TBD', '12345']
/** About this share of seeded phones is junk, so the app's "phone could not be read" path shows in the demo. */
export const JUNK_PHONE_SHARE = 0.03

/**
 * Phone numbers in the mixed formats reps really type: US national (parentheses, dots,
 * bare), and international ones (US, UK, Germany, France); each valid for its country, read
 * with a US default; about 3% are junk. The draws from `rand` are the ones this made when
 * a third of its numbers were invalid, so every other seeded value stays as it was.
 */
export function phoneNumber(rand: () => number): string {
  const d = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('')
  const areaDraw = rand()
  const area = US_AREA_CODES[Math.floor(areaDraw * US_AREA_CODES.length)]
  const line = `01${d(2)}` // 555-0100 to 555-0199: reserved for fiction, valid in form
  const formatDraw = rand() * 8
  const phone = formatted(Math.floor(formatDraw), area, line, d)
  // The fraction left over from choosing the format decides junk, so no draw is added.
  return formatDraw % 1 < JUNK_PHONE_SHARE ? JUNK_PHONES[Math.floor(areaDraw * JUNK_PHONES.length)] : phone
}

function formatted(format: number, area: string, line: string, d: (n: number) => string): string {
  switch (format) {
    case 0: return `(${area}) 555-${line}`
    case 1: return `${area}.555.${line}`
    case 2: return `+1 ${area} 555 ${line}`
    case 3: return `+44 20 7946 ${d(4)}`
    case 4: return `+44 (0)20 7946 ${d(4)}` // as British numbers are often written for abroad
    case 5: return `+49 30 ${d(8)}`
    case 6: return `+33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`
    default: return `${area}555${line}`
  }
}
