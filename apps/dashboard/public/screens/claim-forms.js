import { post } from '../lib/api.js';
import { claimableRegimes, regimeName } from '../lib/catalog.js';
import { h, labelled } from '../lib/dom.js';
import { commandForm, panel, validCardField } from '../lib/forms.js';
import { recorded, words } from '../lib/state.js';

/**
 * A support request for a beneficiary, its fields those the chosen regime's rule weighs (the API
 * refuses any other): a stay's last day, the actual cost, the part paid out of pocket, or the
 * Professional Council's prescription for special drugs. Staff allowances are nobody's claim.
 */
const FACTS_BY_KIND = {
  'fixed-per-event': [],
  'rate-per-day': ['until'],
  'actual-cost-up-to-claim-ceiling': ['cost'],
  'share-of-out-of-pocket': ['outOfPocket'],
  'limited-per-year': ['cost'],
  'actual-cost-up-to-annual-cap': ['councilDecisionNumber', 'drugName', 'quantity', 'cost'],
};

function factField(fact, regime) {
  switch (fact) {
    case 'until':
      return { name: 'until', label: words.t('until'), type: 'date', rule: 'notAfterToday' };
    case 'cost':
      return { name: 'cost', label: words.t('cost'), type: 'vnd', required: regime.rule.kind !== 'limited-per-year' || regime.rule.actualCost };
    case 'outOfPocket':
      return { name: 'outOfPocket', label: words.t('outOfPocket'), type: 'vnd' };
    case 'councilDecisionNumber':
      return { name: 'councilDecisionNumber', label: words.t('councilDecisionNumber') };
    case 'drugName':
      return { name: 'drugName', label: words.t('drugName') };
    case 'quantity':
      return { name: 'quantity', label: words.t('quantity'), type: 'number', rule: 'whole' };
  }
}

function claimForm(beneficiaryId, whose, regime, cards) {
  const facts = FACTS_BY_KIND[regime.rule.kind];
  const drugs = regime.rule.kind === 'actual-cost-up-to-annual-cap';
  return commandForm({
    id: 'claim-form',
    title: `${words.t('requestClaim')}: ${regimeName(regime.id)} — ${whose}`,
    fields: [
      validCardField(cards),
      { name: 'serviceDate', label: words.t('serviceDate'), type: 'date', rule: 'notAfterToday' },
      ...facts.map((fact) => factField(fact, regime)),
      { name: 'documents', label: words.t('documents'), help: words.t('documentsHelp'), required: false, col: 'col-12' },
      { name: 'deliberate', label: words.t('deliberate'), type: 'checkbox', required: false },
      { name: 'deliberateReason', label: words.t('deliberateReason'), required: false },
    ],
    check: (name, raw) => {
      if (name === 'deliberateReason' && raw.deliberate && !raw.deliberateReason) return 'invalid.required';
      if (name === 'until' && raw.until && raw.until < raw.serviceDate) return 'invalid.beforeStart';
      return undefined;
    },
    send: ({ deliberate, deliberateReason, documents, drugName, quantity, ...values }) => {
      const common = {
        ...values,
        beneficiaryId,
        documents: documents
          ?.split(',')
          .map((reference) => reference.trim())
          .filter(Boolean),
        ...(deliberate ? { deliberate, deliberateReason } : {}),
      };
      return drugs
        ? post('/drug-reimbursements', { ...common, items: [{ name: drugName, quantity, cost: values.cost }] })
        : post('/claims', { ...common, regimeId: regime.id });
    },
    done: () => {
      recorded();
      return words.t('claimRequested');
    },
  });
}

/** The request forms on a person's page; `whose`: their name, which the dialog says. */
export function claimForms(beneficiaryId, whose, cards) {
  const regimes = claimableRegimes().filter((regime) => FACTS_BY_KIND[regime.rule.kind]);
  const out = h('div');
  const choice = h(
    'select',
    { class: 'form-select', id: 'claim-regime', name: 'regimeId' },
    h('option', { value: '' }, ''),
    regimes.map((regime) => h('option', { value: regime.id }, regimeName(regime.id))),
  );
  choice.addEventListener('change', () => {
    const regime = regimes.find((candidate) => candidate.id === choice.value);
    out.replaceChildren(regime ? claimForm(beneficiaryId, whose, regime, cards) : '');
  });
  return panel(words.t('requestClaim'), h('div', {}, h('div', { class: 'mb-3' }, labelled(words.t('regime'), choice)), out), {
    'data-action': 'request-claim',
  });
}
