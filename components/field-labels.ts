// The labels live beside the lead routes that name fields in their refusals (lib/crm never imports components/).
export { fieldLabel } from '@/lib/crm/field-labels'
