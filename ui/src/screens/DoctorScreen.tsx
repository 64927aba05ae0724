// Kept for existing imports: the screen itself comes from the table in shell/screens.ts.
import { ScreenPage } from "../shell/ScreenPage";

export const DoctorScreen = () => <ScreenPage id="doctor" />;
