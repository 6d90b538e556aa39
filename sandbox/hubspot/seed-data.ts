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

/** Phone numbers in the mixed formats reps really type: national, international, dotted, bare. */
export function phoneNumber(rand: () => number): string {
  const d = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('')
  const area = String(200 + Math.floor(rand() * 700))
  const line = `01${d(2)}`
  switch (Math.floor(rand() * 8)) {
    case 0: return `(${area}) 555-${line}`
    case 1: return `${area}.555.${line}`
    case 2: return `+1 ${area} 555 ${line}`
    case 3: return `+44 20 7946 ${d(4)}`
    case 4: return `020 7946 ${d(4)}`
    case 5: return `+49 30 ${d(8)}`
    case 6: return `+33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`
    default: return `${area}555${line}`
  }
}
