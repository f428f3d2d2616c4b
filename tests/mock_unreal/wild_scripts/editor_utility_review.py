# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal


@unreal.uclass()
class MarkReviewed(unreal.GlobalEditorUtilityBase):
    reviewer = unreal.uproperty(str)

    @unreal.ufunction(override=True)
    def on_default_action_clicked(self):
        for asset in self.get_selected_assets():
            unreal.EditorAssetLibrary.set_metadata_tag(asset, "Reviewed", self.reviewer)
            unreal.log("Reviewed {}".format(asset.get_name()))


utility = MarkReviewed()
utility.set_editor_property("reviewer", "techart")
utility.on_default_action_clicked()
