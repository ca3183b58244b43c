/** Whom a document names: a beneficiary as the register holds them, or a staff member paid an allowance. */
export interface Person {
  /** Null once the person's data was erased: the document then names them by their id. */
  readonly name: string | null;
  readonly id: string;
  readonly title?: string;
  readonly unit?: string;
  readonly group?: number;
}

/** "Ông/Bà Hoàng Văn Bình, Bí thư Huyện ủy, Huyện Cao Lộc (Đối tượng 3)". */
export function described(person: Person): string {
  const details = [person.title, person.unit].filter((part) => part !== undefined && part !== '');
  return [`Ông/Bà ${person.name ?? `(mã ${person.id})`}`, ...details].join(', ') + (person.group ? ` (Đối tượng ${person.group})` : '');
}
