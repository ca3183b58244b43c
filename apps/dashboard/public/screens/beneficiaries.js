import { api, apiUrl, post, query, readUntil } from '../lib/api.js';
import { regimeName } from '../lib/catalog.js';
import { alertBox, badge, fill, h, heading, labelled, money, pager, saveFile, table, toolbar } from '../lib/dom.js';
import { commandForm, confirmDialog, panel, sayRecorded, validCardField } from '../lib/forms.js';
import { hasRole, recorded, state, thisYear, words } from '../lib/state.js';
import { claimForms } from './claim-forms.js';
import { payoutTable } from './payouts.js';

/** The register, the clerk's forms on a person (enrol, edit, remove, death, cards, stays) and a stay's page. */

const nameOf = (fullName) => fullName ?? words.t('erased');
const groupOptions = () => [1, 2, 3, 4, 5, 6].map((group) => [String(group), words.group(group)]);
const keepsRegister = () => hasRole('clerk', 'administrator');

const REGISTER_STATUSES = ['registered', 'retired', 'deceased', 'removed'];
const PAGE = 50;

export async function registerView() {
  const name = h('input', { class: 'form-control form-control-sm', name: 'name', type: 'search' });
  const unit = h('input', { class: 'form-control form-control-sm', name: 'unit', type: 'search' });
  const group = h(
    'select',
    { class: 'form-select form-select-sm', name: 'group' },
    h('option', { value: '' }, '—'),
    groupOptions().map(([value, label]) => h('option', { value }, label)),
  );
  const status = h(
    'select',
    { class: 'form-select form-select-sm', name: 'status' },
    h('option', { value: '' }, '—'),
    REGISTER_STATUSES.map((value) => h('option', { value }, words.code('status', value))),
  );
  const results = h('div');
  const search = async (offset = 0) => {
    const found = await api(
      `/beneficiaries?${query({ limit: PAGE, offset, name: name.value.trim(), unit: unit.value.trim(), group: group.value, status: status.value })}`,
    );
    results.replaceChildren(
      table(
        [
          words.t('name'),
          words.code('field', 'dateOfBirth'),
          words.code('field', 'nationalId'),
          words.t('title'),
          words.t('unit'),
          words.t('group'),
          words.t('status'),
        ],
        found.items.map((person) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('a', { href: `#/beneficiaries/${encodeURIComponent(person.beneficiaryId)}` }, nameOf(person.fullName)),
              person.likelyDuplicateOf.length
                ? h('span', { class: 'badge status-badge status-pending ms-2', 'data-duplicate': person.beneficiaryId }, words.t('likelyDuplicate'))
                : null,
            ),
            h('td', {}, words.date(person.dateOfBirth)),
            h('td', { class: 'text-nowrap' }, person.nationalIdMasked ?? '—'),
            h('td', {}, person.title),
            h('td', {}, person.administrativeUnit),
            h('td', { class: 'text-nowrap' }, words.group(person.group)),
            h('td', {}, badge(person.status)),
          ),
        ),
        { id: 'register-table' },
      ),
      pager(found, (next) => void search(next)),
    );
  };
  await search();
  return h(
    'section',
    {},
    h(
      'div',
      { class: 'd-flex flex-wrap gap-2 align-items-center mb-2' },
      heading(words.t('register'), { class: 'h4 me-auto mb-0' }),
      keepsRegister() ? h('a', { class: 'btn btn-primary btn-sm', href: '#/beneficiaries/new', id: 'enrol-link' }, words.t('enrol')) : null,
    ),
    toolbar(
      () => void search(),
      labelled(words.t('name'), name),
      labelled(words.t('unit'), unit),
      labelled(words.t('group'), group),
      labelled(words.t('status'), status),
      h('button', { class: 'btn btn-sm btn-primary' }, words.t('search')),
    ),
    results,
    keepsRegister() ? importForm(search) : null,
  );
}

/** A unit's Excel list: the template to fill in, and the import with its row-by-row report. */
function importForm(afterImport) {
  const file = h('input', { class: 'form-control form-control-sm', type: 'file', accept: '.xlsx', id: 'import-file' });
  const validOnly = h('input', { class: 'form-check-input', type: 'checkbox', id: 'import-valid-only' });
  const out = h('div', { id: 'import-result', 'aria-live': 'polite' });
  const send = async (event) => {
    event.preventDefault();
    if (!file.files[0]) return;
    // An import enrols every row it accepts: it asks first, as every command does.
    const rows = [
      [words.t('importFile'), file.files[0].name],
      [words.t('validRowsOnly'), words.t(validOnly.checked ? 'yes' : 'no')],
    ];
    if (!(await confirmDialog(words.t('importTitle'), rows))) return;
    const form = new FormData();
    form.append('file', file.files[0]);
    const response = await fetch(apiUrl(`/beneficiaries/imports${validOnly.checked ? '?validRowsOnly=true' : ''}`), {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${state.token}` },
    });
    const report = await response.json();
    if (!report.errors)
      return void out.replaceChildren(alertBox('danger', words.has('rule', report.rule) ? words.code('rule', report.rule) : words.code('rule', 'unknown')));
    out.replaceChildren(
      alertBox(
        report.outcome === 'rejected' ? 'warning' : 'success',
        `${words.t(report.outcome === 'rejected' ? 'importRejected' : 'importDone')}: ${words.num(report.imported)} / ${words.num(report.rows)} · ${words.t('alreadyImported')}: ${words.num(report.alreadyImported)}`,
        { 'data-testid': 'import-summary' },
      ),
      report.errors.length === 0
        ? ''
        : table(
            [words.t('row'), words.t('column'), words.t('problem')],
            report.errors.map((error) =>
              h('tr', {}, h('td', {}, error.row), h('td', {}, words.code('field', error.field)), h('td', {}, state.language === 'vi' ? error.vi : error.en)),
            ),
          ),
    );
    if (report.imported > 0) {
      recorded();
      await afterImport();
    }
  };
  return h(
    'form',
    { class: 'card card-body mt-4', onsubmit: send },
    h('h2', { class: 'h5' }, words.t('importTitle')),
    h(
      'div',
      { class: 'd-flex gap-2 align-items-center flex-wrap' },
      h(
        'button',
        {
          class: 'btn btn-outline-primary btn-sm',
          type: 'button',
          onclick: async () => saveFile(await api('/beneficiaries/imports/template'), 'mau-danh-sach-doi-tuong.xlsx'),
        },
        words.t('template'),
      ),
      h('label', { class: 'visually-hidden', for: 'import-file' }, words.t('importFile')),
      file,
      h('div', { class: 'form-check' }, validOnly, h('label', { class: 'form-check-label', for: 'import-valid-only' }, words.t('validRowsOnly'))),
      h('button', { class: 'btn btn-primary btn-sm', id: 'import-send' }, words.t('import')),
    ),
    out,
  );
}

export function enrolView() {
  return h(
    'section',
    {},
    heading(words.t('enrolTitle')),
    commandForm({
      id: 'enrol-form',
      title: words.t('enrolTitle'),
      fields: [
        { name: 'fullName', label: words.code('field', 'fullName') },
        { name: 'dateOfBirth', label: words.code('field', 'dateOfBirth'), type: 'date' },
        { name: 'nationalId', label: words.code('field', 'nationalId'), rule: 'nationalId', attributes: { inputmode: 'numeric', maxlength: 12 } },
        { name: 'title', label: words.code('field', 'title') },
        { name: 'administrativeUnit', label: words.code('field', 'administrativeUnit') },
        { name: 'group', label: words.code('field', 'group'), type: 'select', options: groupOptions(), rule: 'group' },
        { name: 'from', label: words.t('from'), type: 'date' },
      ],
      send: (values) => post('/beneficiaries', values),
      done: ({ beneficiaryId }) => {
        recorded();
        location.hash = `#/beneficiaries/${encodeURIComponent(beneficiaryId)}`;
      },
    }),
  );
}

/** What ending a coverage (a removal, a death) recomputes, asked of the API before the dialog. */
async function coverageEndRows(path, values, labels) {
  const preview = await api(`${path}/preview`, { method: 'POST', body: JSON.stringify(values) });
  const recovered = preview.totals?.difference ?? 0;
  return [
    ...labels,
    [
      words.t('changes'),
      words.t('recoversSummary', { stays: words.num(preview.changes.length), claims: words.num(preview.claimChanges.length), amount: words.vnd(-recovered) }),
    ],
  ];
}

/** `whose`: the person's name, which every dialog says. */
function registerActions(id, whose, person, reload) {
  const base = `/beneficiaries/${encodeURIComponent(id)}`;
  const after = (formId) => async () => {
    recorded();
    await reload(formId);
  };
  const removalForm = commandForm({
    id: 'removal-form',
    title: `${words.t('removal')}: ${whose}`,
    danger: true,
    fields: [
      { name: 'on', label: words.t('removalOn'), type: 'date' },
      { name: 'reason', label: words.t('reason') },
    ],
    // The dialog says what the recomputation from that date would recover.
    describe: (values) =>
      coverageEndRows(`${base}/removal`, values, [
        [words.t('removalOn'), words.date(values.on)],
        [words.t('reason'), values.reason],
      ]),
    send: (values) => post(`${base}/removal`, values),
    done: after('removal-form'),
  });
  const deathForm = commandForm({
    id: 'death-form',
    title: `${words.t('death')}: ${whose}`,
    danger: true,
    fields: [{ name: 'on', label: words.t('deathOn'), type: 'date' }],
    describe: (values) => coverageEndRows(`${base}/death`, values, [[words.t('deathOn'), words.date(values.on)]]),
    send: (values) => post(`${base}/death`, values),
    done: after('death-form'),
  });
  return [
    panel(
      words.t('changePosition'),
      commandForm({
        id: 'position-form',
        title: `${words.t('changePosition')}: ${whose}`,
        fields: [
          { name: 'title', label: words.t('title'), value: person.title },
          { name: 'administrativeUnit', label: words.t('unit'), value: person.administrativeUnit },
          { name: 'from', label: words.t('from'), type: 'date' },
        ],
        send: (values) => post(`${base}/position-changes`, values),
        done: after('position-form'),
      }),
    ),
    panel(
      words.t('reclassify'),
      commandForm({
        id: 'reclassify-form',
        title: `${words.t('reclassify')}: ${whose}`,
        fields: [
          { name: 'group', label: words.t('group'), type: 'select', options: groupOptions(), rule: 'group' },
          { name: 'from', label: words.t('from'), type: 'date' },
          { name: 'reason', label: words.t('reason') },
          { name: 'decisionNumber', label: words.t('decisionNumber') },
        ],
        send: (values) => post(`${base}/reclassifications`, values),
        done: after('reclassify-form'),
      }),
    ),
    person.retiredOn
      ? null
      : panel(
          words.t('retirement'),
          commandForm({
            id: 'retirement-form',
            title: `${words.t('retirement')}: ${whose}`,
            fields: [{ name: 'on', label: words.t('retirementOn'), type: 'date' }],
            send: (values) => post(`${base}/retirement`, values),
            done: after('retirement-form'),
          }),
        ),
    panel(words.t('removal'), removalForm),
    panel(words.t('death'), deathForm),
  ];
}

function cardActions(id, whose, reload) {
  return [
    panel(
      words.t('issueCard'),
      commandForm({
        id: 'issue-card-form',
        title: `${words.t('issueCard')}: ${whose}`,
        fields: [
          { name: 'cardNumber', label: words.t('cardNumber'), rule: 'cardNumber' },
          { name: 'validFrom', label: words.t('validFrom'), type: 'date' },
          { name: 'validTo', label: words.t('validTo'), type: 'date' },
        ],
        check: (name, raw) => (name === 'validTo' && raw.validTo && raw.validFrom && raw.validTo < raw.validFrom ? 'invalid.beforeStart' : undefined),
        send: (values) => post('/cards', { ...values, beneficiaryId: id }),
        done: async (_, { cardNumber }) => {
          recorded();
          await reload('issue-card-form', cardNumber);
        },
      }),
      { 'data-action': 'issue-card' },
    ),
  ];
}

function admissionForm(id, whose, cards) {
  return panel(
    words.t('recordAdmission'),
    commandForm({
      id: 'admission-form',
      title: `${words.t('recordAdmission')}: ${whose}`,
      fields: [
        validCardField(cards),
        { name: 'facility', label: words.t('facility') },
        { name: 'admittedOn', label: words.t('admittedOn'), type: 'date', rule: 'notAfterToday' },
        { name: 'deliberate', label: words.t('deliberate'), type: 'checkbox', required: false },
        { name: 'deliberateReason', label: words.t('deliberateReason'), required: false },
      ],
      check: (name, raw) => (name === 'deliberateReason' && raw.deliberate && !raw.deliberateReason ? 'invalid.required' : undefined),
      send: (values) =>
        post('/admissions', { ...values, beneficiaryId: id, ...(values.deliberate ? {} : { deliberate: undefined, deliberateReason: undefined }) }),
      done: ({ admissionId }) => {
        recorded();
        location.hash = `#/admissions/${encodeURIComponent(admissionId)}`;
      },
    }),
    { 'data-action': 'record-admission' },
  );
}

export async function beneficiaryView(id) {
  const body = h('div');
  /** `done`: the form that just recorded, said so once the page is drawn afresh; `issued`: a card the register is to show. */
  const load = async (done, issued) => {
    const [person, balances, payouts] = await Promise.all([
      api(`/beneficiaries/${encodeURIComponent(id)}`),
      api(`/beneficiaries/${encodeURIComponent(id)}/balances?year=${thisYear()}`),
      api(`/payouts?${query({ beneficiaryId: id, limit: 200 })}`),
    ]);
    const facts = person.state;
    const { fullName } = person.history[0].data;
    // A card just issued shows in the card register a moment later: it is read until it does.
    const found =
      fullName === null
        ? { cards: [] }
        : await readUntil(
            () => api(`/cards?${query({ name: fullName, limit: 20 })}`),
            (answer) => !issued || answer.cards.some((card) => card.cardNumber === issued),
          );
    const cards = found.cards.filter((card) => card.beneficiaryId === id);
    const groupChanges = person.history.filter((entry) => entry.type === 'BeneficiaryEnrolled' || entry.type === 'BeneficiaryReclassified');
    const status = facts.diedOn ? 'deceased' : facts.retiredOn && facts.status === 'registered' ? 'retired' : facts.status;
    // Retired cadres stay on the register, entitled as before: only a removal or a death closes their record.
    const open = facts.status === 'registered' && !facts.diedOn;
    fill(
      body,
      h('div', { class: 'd-flex flex-wrap gap-2 align-items-center' }, heading(nameOf(fullName), { class: 'h4 mb-0 me-2' }), badge(status)),
      h('p', { class: 'mt-2' }, `${facts.title} — ${facts.administrativeUnit}`),
      h('div', { class: 'row g-4' }, [
        h(
          'div',
          { class: 'col-12 col-xl-7' },
          h('h2', { class: 'h5' }, words.t('groupsOverTime')),
          table(
            [words.t('from'), words.t('group'), words.t('reason')],
            groupChanges.map((entry) =>
              h('tr', {}, h('td', {}, words.date(entry.data.from)), h('td', {}, words.group(entry.data.group)), h('td', {}, entry.data.reason ?? '—')),
            ),
          ),
          h('h2', { class: 'h5' }, words.t('cards')),
          table(
            [words.t('cardNumber'), words.t('validFrom'), words.t('validTo'), words.t('status')],
            cards.map((card) =>
              h(
                'tr',
                {},
                h('td', {}, card.cardNumber),
                h('td', {}, words.date(card.validFrom)),
                h('td', {}, words.date(card.validTo)),
                h('td', {}, badge(card.status)),
              ),
            ),
            { id: 'person-cards' },
          ),
          h('h2', { class: 'h5' }, `${words.t('balances')} ${thisYear()}`),
          table(
            [
              { label: words.t('regime'), wide: true },
              { label: words.t('entitled'), money: true },
              { label: words.t('approved'), money: true },
              { label: words.t('paid'), money: true },
              { label: words.t('adjusted'), money: true },
              { label: words.t('annualCap'), money: true },
              { label: words.t('remainingCap'), money: true },
            ],
            balances.balances.map((balance) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, regimeName(balance.regimeId)),
                money(balance.entitled),
                money(balance.approved),
                money(balance.paid),
                money(balance.adjusted),
                money(balance.annualCap),
                money(balance.remainingCap),
              ),
            ),
          ),
          h('h2', { class: 'h5' }, words.t('claims')),
          payoutTable(payouts.payouts),
        ),
        h(
          'div',
          { class: 'col-12 col-xl-5', id: 'person-actions' },
          hasRole('clerk', 'administrator') && open
            ? [...cardActions(id, nameOf(fullName), load), admissionForm(id, nameOf(fullName), cards), ...registerActions(id, nameOf(fullName), facts, load)]
            : null,
          hasRole('clerk', 'council-member') && open ? claimForms(id, nameOf(fullName), cards) : null,
        ),
      ]),
    );
    if (done) sayRecorded(body, done);
  };
  await load();
  return h('section', {}, body);
}

/** A stay: its facts, what it entitles, and the clerk's discharge and date correction. */
export async function admissionView(id) {
  const body = h('div');
  const load = async (done) => {
    const { state: stay } = await api(`/admissions/${encodeURIComponent(id)}`);
    const path = `/admissions/${encodeURIComponent(id)}`;
    const after = (formId) => async () => {
      recorded();
      await load(formId);
    };
    const segments = stay.meals?.segments ?? [];
    fill(
      body,
      h('div', { class: 'd-flex flex-wrap gap-2 align-items-center' }, heading(words.t('stay'), { class: 'h4 mb-0 me-2' }), badge(stay.status)),
      h(
        'p',
        { class: 'mt-2' },
        h('a', { href: `#/beneficiaries/${encodeURIComponent(stay.beneficiaryId)}` }, words.t('beneficiary')),
        ` · ${words.t('admittedOn')} ${words.date(stay.admittedOn)}`,
        stay.dischargedOn ? ` · ${words.t('dischargedOn')} ${words.date(stay.dischargedOn)}` : '',
      ),
      stay.visit || segments.length
        ? table(
            [
              { label: words.t('regime'), wide: true },
              words.t('from'),
              words.t('to'),
              words.t('days'),
              words.t('group'),
              { label: words.t('rate'), money: true },
              { label: words.t('amount'), money: true },
            ],
            [
              stay.visit
                ? h(
                    'tr',
                    {},
                    h('td', {}, regimeName('a')),
                    h('td', {}, words.date(stay.visit.serviceDate)),
                    h('td', {}, '—'),
                    h('td', {}, '—'),
                    h('td', {}, words.group(stay.visit.group)),
                    money(stay.visit.amount),
                    money(stay.visit.amount),
                  )
                : null,
              segments.map((segment) =>
                h(
                  'tr',
                  {},
                  h('td', {}, regimeName('b')),
                  h('td', {}, words.date(segment.from)),
                  h('td', {}, words.date(segment.to)),
                  h('td', {}, words.num(segment.days)),
                  h('td', {}, words.group(segment.group)),
                  money(segment.rate),
                  money(segment.amount),
                ),
              ),
            ],
            { id: 'stay-entitlements' },
          )
        : null,
      hasRole('clerk', 'administrator') && stay.status === 'admitted'
        ? panel(
            words.t('recordDischarge'),
            commandForm({
              id: 'discharge-form',
              title: words.t('recordDischarge'),
              fields: [{ name: 'dischargedOn', label: words.t('dischargedOn'), type: 'date', rule: 'notAfterToday' }],
              check: (name, raw) => (raw.dischargedOn && raw.dischargedOn < stay.admittedOn ? 'invalid.beforeStart' : undefined),
              send: (values) => post(`${path}/discharge`, values),
              done: after('discharge-form'),
            }),
            { open: true, 'data-action': 'discharge' },
          )
        : null,
      hasRole('clerk', 'administrator') && (stay.status === 'admitted' || stay.status === 'discharged')
        ? panel(
            words.t('correctDates'),
            commandForm({
              id: 'correct-dates-form',
              title: words.t('correctDates'),
              fields: [
                { name: 'admittedOn', label: words.t('admittedOn'), type: 'date', rule: 'notAfterToday', value: stay.admittedOn },
                { name: 'dischargedOn', label: words.t('dischargedOn'), type: 'date', rule: 'notAfterToday', value: stay.dischargedOn },
                { name: 'reason', label: words.t('reason') },
              ],
              check: (name, raw) => (name === 'dischargedOn' && raw.dischargedOn && raw.dischargedOn < raw.admittedOn ? 'invalid.beforeStart' : undefined),
              send: (values) => post(`${path}/date-corrections`, values),
              done: after('correct-dates-form'),
            }),
          )
        : null,
    );
    if (done) sayRecorded(body, done);
  };
  await load();
  return h('section', {}, body);
}
