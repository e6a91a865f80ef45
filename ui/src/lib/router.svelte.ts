// Which screen is showing. A desktop app has no URL bar: the route is plain state.
export type Route =
  | { view: "cards" }
  | { view: "customers" }
  | { view: "customer"; id: number }
  | { view: "customer-new" }
  | { view: "add-card"; customerId: number }
  | { view: "payments" }
  | { view: "payment"; id: number }
  | { view: "audit" }
  | { view: "settings" }
  | { view: "staff" }
  | { view: "about" };

export const nav = $state<{ route: Route }>({ route: { view: "cards" } });

export function go(route: Route): void {
  nav.route = route;
}
